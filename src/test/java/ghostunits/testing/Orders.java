package ghostunits.testing;

import static org.assertj.core.api.Assertions.assertThat;

import ghostunits.theory.ErrorOrder;
import java.util.Arrays;

/** Assertions on observed convergence orders, with messages that show the whole sweep. */
public final class Orders {
  private Orders() {}

  /**
   * Every observed order between consecutive betas lies within expected +- slack. A wider slack
   * is never the fix for a failure: a failure means the error does not scale as the theorem says.
   */
  public static void assertOrder(String what, double[] betas, double[] errors, double expected, double slack) {
    double[] orders = ErrorOrder.observed(betas, errors);
    String sweep = what + ": betas " + Arrays.toString(betas) + ", errors " + Arrays.toString(errors)
        + ", observed orders " + Arrays.toString(orders);
    for (double e : errors) {
      assertThat(e).as("error is finite and positive (an exact zero has no order): " + sweep).isFinite().isPositive();
    }
    for (double o : orders) {
      assertThat(o).as(sweep).isBetween(expected - slack, expected + slack);
    }
  }

  /**
   * The order check of a one-sided quotient e/beta computed in floating point, on the betas where
   * rounding cannot mask it. The computed e carries an absolute rounding error of a few eps, so
   * e/beta carries about c eps / beta (FLOOR); relative to |target| that is
   * {@code floor(beta) = ROUNDING_FACTOR eps / (beta |target|)}. A pair (beta_i, beta_i+1) is
   * checked only where floor(beta_i+1) is at most 5% of the measured error there (so rounding moves
   * the observed order by under 0.03). The first pair (beta 1e-2 -> 1e-3) is always checked.
   */
  public static void assertOrderAboveFloor(
      String what, double[] betas, double[] relErrors, double targetNorm, double eps, double expected, double slack) {
    int usable = 2;
    while (usable < betas.length) {
      double floor = ROUNDING_FACTOR * eps / (Math.abs(betas[usable]) * targetNorm);
      if (floor > 0.05 * relErrors[usable]) {
        break;
      }
      usable++;
    }
    assertOrder(what + " (betas above the rounding floor: " + usable + " of " + betas.length + ")",
        Arrays.copyOf(betas, usable), Arrays.copyOf(relErrors, usable), expected, slack);
  }

  /** c in the rounding estimate c eps / beta of a computed e/beta (measured: about 3). */
  public static final double ROUNDING_FACTOR = 100;
}
