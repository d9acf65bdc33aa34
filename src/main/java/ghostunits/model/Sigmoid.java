package ghostunits.model;

import ghostunits.numeric.ScalarField;

/** rho(x) = 1 / (1 + exp(-x)), Lipschitz constant 1/4. */
public final class Sigmoid implements Activation {
  public static final Sigmoid INSTANCE = new Sigmoid();

  private Sigmoid() {}

  @Override
  public <S> S value(ScalarField<S> f, S x) {
    return f.divide(f.one(), f.add(f.one(), f.exp(f.negate(x))));
  }

  @Override
  public <S> S derivative(ScalarField<S> f, S x) {
    return derivativeFromValue(f, value(f, x));
  }

  /** rho'(x) from v = rho(x): v (1 - v). */
  public static <S> S derivativeFromValue(ScalarField<S> f, S v) {
    return f.multiply(v, f.subtract(f.one(), v));
  }

  @Override
  public double lipschitz() {
    return 0.25;
  }

  @Override
  public String name() {
    return "sigmoid";
  }
}
