package ghostunits.model;

import ghostunits.numeric.Backend;

/** C = 1/2 ||r - y||^2 (the factor 1/2 is our choice: then dC/dr = r - y). */
public final class SquaredError implements Cost {
  public static final SquaredError INSTANCE = new SquaredError();

  private SquaredError() {}

  @Override
  public <S, V, M> S value(Backend<S, V, M> b, V r, V y) {
    V d = b.minus(r, y);
    return b.scalars().divide(b.dot(d, d), b.scalars().fromDouble(2));
  }

  @Override
  public <S, V, M> V gradient(Backend<S, V, M> b, V r, V y) {
    return b.minus(r, y);
  }

  @Override
  public <S, V, M> M hessian(Backend<S, V, M> b, V r, V y) {
    return b.identity(b.size(r));
  }

  @Override
  public String name() {
    return "mse";
  }
}
