package ghostunits.model;

import ghostunits.numeric.ScalarField;

/**
 * The transfer function rho, written once over any scalar field. Its Lipschitz constant is part
 * of it, because the convergence arguments use it.
 */
public interface Activation {
  <S> S value(ScalarField<S> f, S x);

  <S> S derivative(ScalarField<S> f, S x);

  /** L with |rho(a) - rho(b)| <= L |a - b|. */
  double lipschitz();

  String name();
}
