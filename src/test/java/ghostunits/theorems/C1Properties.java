package ghostunits.theorems;

import ghostunits.model.Feedback;
import ghostunits.model.NetworkSpec;
import ghostunits.numeric.ApfloatBackend;
import ghostunits.numeric.DoubleBackend;
import ghostunits.testing.Networks;
import ghostunits.testing.Orders;
import ghostunits.theory.C1Sweep;
import ghostunits.theory.C1Sweep.Rule;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * C1 in double: eq. 6 at the nudged equilibrium, divided by beta, gives -dW^k/eta = dC/dW^k + O(beta)
 * for both forms; order checked layer by layer on the relative (max-norm) error of the gradient.
 */
class C1Properties {
  /** T1's half-decade grid: both forms inherit T1's O(beta) and its eps/beta rounding floor. */
  static final double[] BETAS = {1e-2, 3e-3, 1e-3, 3e-4, 1e-4, 3e-5, 1e-5, 3e-6, 1e-6};

  /**
   * rho(s^k) - rho(W^k r^{k-1}) subtracts two O(1) rates that agree to O(beta): the eps/beta floor
   * holds at every layer, the output included.
   */
  @Property
  void rateDifferenceRuleConvergesToGradientAtOrderOne(@ForAll("networks") NetworkSpec spec) {
    double[][] err = C1Sweep.gradientError(DoubleBackend.INSTANCE, spec, Rule.RATE_DIFFERENCE, BETAS).errors();
    double[] gradNorms = C1Sweep.gradientNorms(DoubleBackend.INSTANCE, spec);
    for (int k = 1; k <= err.length; k++) {
      int layer = k;
      Orders.assertAsymptoticOrder(spec + " layer " + k + " rate-difference |-dW - dC/dW|/|dC/dW|", BETAS,
          err[k - 1], Orders.quotientFloors(BETAS, gradNorms[k - 1], Math.ulp(1.0)), 1.0, 0.1,
          () -> confirm(spec, Rule.RATE_DIFFERENCE, layer,
              Orders.quotientFloors(Orders.CONFIRM_BETAS, gradNorms[layer - 1], Orders.CONFIRM_EPS)));
    }
  }

  /**
   * rho'(s^k) * e^k: hidden layers carry e^k's eps/beta floor; at the output e^N = beta (y - r^N)
   * is a product and only the state's rounding remains.
   */
  @Property
  void firstOrderRuleConvergesToGradientAtOrderOne(@ForAll("networks") NetworkSpec spec) {
    double[][] err = C1Sweep.gradientError(DoubleBackend.INSTANCE, spec, Rule.FIRST_ORDER, BETAS).errors();
    double[] gradNorms = C1Sweep.gradientNorms(DoubleBackend.INSTANCE, spec);
    int n = err.length;
    for (int k = 1; k <= n; k++) {
      double[] floors = k < n
          ? Orders.quotientFloors(BETAS, gradNorms[k - 1], Math.ulp(1.0))
          : Orders.productFloors(BETAS, Orders.outputScale(spec), gradNorms[k - 1], Math.ulp(1.0));
      int layer = k;
      double[] confirmFloors = k < n
          ? Orders.quotientFloors(Orders.CONFIRM_BETAS, gradNorms[k - 1], Orders.CONFIRM_EPS)
          : Orders.productFloors(Orders.CONFIRM_BETAS, Orders.outputScale(spec), gradNorms[k - 1], Orders.CONFIRM_EPS);
      Orders.assertAsymptoticOrder(spec + " layer " + k + " first-order |-dW - dC/dW|/|dC/dW|", BETAS,
          err[k - 1], floors, 1.0, 0.1, () -> confirm(spec, Rule.FIRST_ORDER, layer, confirmFloors));
    }
  }

  /** The 40-digit sweep of a network still pre-asymptotic above double's floor (Orders). */
  private static Orders.Confirmation confirm(NetworkSpec spec, Rule rule, int layer, double[] floors) {
    return new Orders.Confirmation(Orders.CONFIRM_BETAS, C1Sweep.gradientError(
        new ApfloatBackend(Orders.CONFIRM_DIGITS), spec, rule, Orders.CONFIRM_BETAS).errors()[layer - 1], floors);
  }

  @Provide
  Arbitrary<NetworkSpec> networks() {
    return Networks.random(Feedback.TF);
  }
}
