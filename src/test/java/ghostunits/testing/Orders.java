package ghostunits.testing;

import static org.assertj.core.api.Assertions.assertThat;

import ghostunits.model.NetworkSpec;
import ghostunits.numeric.DoubleBackend;
import ghostunits.theory.ErrorOrder;
import ghostunits.theory.Probe;
import java.util.Arrays;
import net.jqwik.api.Assume;
import org.ejml.data.DMatrixRMaj;

/**
 * Assertions on observed convergence orders, with messages that show the whole sweep.
 *
 * <p>The theorems are asymptotic: err(beta) = |c1 beta + c2 beta^2 + ...| has order 1 once beta is
 * well below |c1 / c2|. On random networks c1 can be small (a narrow layer, a cancellation), so
 * at a fixed beta grid the first pairs may be pre-asymptotic (seen: order 0.45 between 1e-2 and
 * 1e-3, order -0.28 between 1e-3 and 1e-4 for s^1 of a 3-1-7-3-8 net). The order is therefore
 * asserted on the tail of the sweep: the {@link #TAIL_PAIRS} smallest betas that rounding cannot
 * mask. A wider slack is never the fix for a failure.
 */
public final class Orders {
  private Orders() {}

  /** How many consecutive pairs, at the small-beta end, must show the order. */
  public static final int TAIL_PAIRS = 2;

  /**
   * c in the rounding estimate c eps / beta of a computed e/beta. Measured: the absolute error of
   * the double e^k against a 40-digit apfloat e^k was at most 3.5 eps over 300 random networks
   * (1..4 hidden layers, widths 1..8) at beta = 1e-3, 1e-5, 1e-7; 10 leaves a margin of about 3.
   */
  public static final double ROUNDING_FACTOR = 10;

  /** Every observed order between consecutive betas lies within expected +- slack. */
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
   * The order on the asymptotic tail: betas are used from the largest down while the rounding
   * floor at that beta is at most 5% of the measured error (rounding then moves an order by under
   * 0.03); the last {@link #TAIL_PAIRS} pairs of those must show the order. A network with fewer
   * than TAIL_PAIRS + 3 usable betas cannot show an order at this precision: the try is discarded (jqwik fails on too
   * many discards); the apfloat twins check such networks.
   *
   * @param floors the rounding error expected at each beta, in the units of {@code errors}
   */
  public static void assertAsymptoticOrder(
      String what, double[] betas, double[] errors, double[] floors, double expected, double slack) {
    // A NaN or infinite error (or a NaN floor) is a defect, not a rounding floor: it must fail, not
    // discard the try. An infinite floor (a zero limit) only makes its beta unusable.
    for (int i = 0; i < errors.length; i++) {
      assertThat(errors[i]).as("%s: error at beta %s", what, betas[i]).isFinite();
      assertThat(floors[i]).as("%s: rounding floor at beta %s", what, betas[i]).isNotNaN();
    }
    int usable = 0;
    while (usable < betas.length && floors[usable] <= 0.05 * errors[usable]) {
      usable++;
    }
    String sweep = what + ": betas " + Arrays.toString(betas) + ", errors " + Arrays.toString(errors)
        + ", observed orders " + Arrays.toString(ErrorOrder.observed(betas, errors))
        + ", betas above the rounding floor: " + usable;
    // Two usable betas more than the tail needs: the tail then starts a decade (two half-decade
    // steps) below the largest beta, where the pre-asymptotic cases were seen.
    Assume.that(usable >= TAIL_PAIRS + 3);
    int from = usable - TAIL_PAIRS - 1;
    assertOrder(sweep + "; checked tail", Arrays.copyOfRange(betas, from, usable),
        Arrays.copyOfRange(errors, from, usable), expected, slack);
  }

  /** Precision of the confirmation sweep (see the Supplier form of assertAsymptoticOrder). */
  public static final int CONFIRM_DIGITS = 40;

  /** Unit roundoff-sized eps of the confirmation sweep, for its floors. */
  public static final double CONFIRM_EPS = Math.pow(10, -CONFIRM_DIGITS + 1);

  /** The double properties' half-decade grid 1e-2 .. 1e-6, then four more decades. */
  public static final double[] CONFIRM_BETAS = {1e-2, 3e-3, 1e-3, 3e-4, 1e-4, 3e-5, 1e-5, 3e-6, 1e-6, 3e-7, 1e-7,
      3e-8, 1e-8, 3e-9, 1e-9, 3e-10, 1e-10};

  /**
   * A confirmation grid: a double property's own grid, then smaller betas (the Supplier form
   * requires the confirmation to start with the double grid).
   */
  public static double[] continued(double[] grid, double... smaller) {
    double[] out = Arrays.copyOf(grid, grid.length + smaller.length);
    System.arraycopy(smaller, 0, out, grid.length, smaller.length);
    return out;
  }

  /**
   * The same network's errors computed at high precision, at the double sweep's betas followed by
   * smaller ones, and their rounding floors.
   */
  public record Confirmation(double[] betas, double[] errors, double[] floors) {}

  /**
   * {@link #assertAsymptoticOrder} in double; if the double tail does not show the order, the
   * network may be one whose asymptotic regime starts below the betas double can resolve (seen: a
   * width-1 layer, orders 1.78, 1.54, 1.28, 1.11, 1.05 down to 3e-5, then the rounding floor; about
   * 1 network in 10^4). Such a network is decided at high precision instead, which is not a slack:
   * (1) at every beta above the double floor, the double error must equal the high-precision one
   * within that floor (the double computation is right), and (2) the high-precision sweep, which
   * reaches smaller betas, must show the order on its own tail (the quantity has the order).
   */
  public static void assertAsymptoticOrder(String what, double[] betas, double[] errors, double[] floors,
      double expected, double slack, java.util.function.Supplier<Confirmation> highPrecision) {
    try {
      assertAsymptoticOrder(what, betas, errors, floors, expected, slack);
      return;
    } catch (AssertionError doubleTail) {
      Confirmation hp = highPrecision.get();
      int usable = 0;
      while (usable < betas.length && floors[usable] <= 0.05 * errors[usable]) {
        usable++;
      }
      for (int i = 0; i < usable; i++) {
        assertThat(hp.betas()[i]).isEqualTo(betas[i]);
        assertThat(Math.abs(errors[i] - hp.errors()[i]))
            .as("%s: double error %s vs high precision %s at beta %s (double floor %s); the double tail said: %s",
                what, errors[i], hp.errors()[i], betas[i], floors[i], doubleTail.getMessage())
            .isLessThanOrEqualTo(floors[i] + hp.floors()[i]);
      }
      assertAsymptoticOrder(what + " (high precision, after the double tail failed: " + doubleTail.getMessage() + ")",
          hp.betas(), hp.errors(), hp.floors(), expected, slack);
    }
  }

  /**
   * max|s_hat^N| in double: the size of the free output state, whose rounding is all that is left
   * in the output layer's error (the {@code scale} of {@link #productFloors}).
   */
  public static double outputScale(NetworkSpec spec) {
    Probe<Double, double[], DMatrixRMaj> p = new Probe<>(DoubleBackend.INSTANCE, spec);
    return p.norm(p.mlp.s().at(spec.depth()));
  }

  /** Rounding floor of a relative error |q/beta - t|/|t| of a one-sided quotient: c eps / (beta |t|). */
  public static double[] quotientFloors(double[] betas, double targetNorm, double eps) {
    double[] floors = new double[betas.length];
    for (int i = 0; i < betas.length; i++) {
      floors[i] = ROUNDING_FACTOR * eps / (Math.abs(betas[i]) * targetNorm);
    }
    return floors;
  }

  /**
   * Rounding floor of an absolute difference of two states of size {@code scale}, each computed
   * to a few ulps (Newton's last step): {@link #STATE_ULPS} eps scale. No division by beta here.
   */
  public static double[] differenceFloors(double[] betas, double scale, double eps) {
    double[] floors = new double[betas.length];
    Arrays.fill(floors, STATE_ULPS * eps * Math.max(scale, 1.0));
    return floors;
  }

  /**
   * Rounding floor of a relative error |p - t|/|t| when the estimate p has no cancellation of size
   * beta (the output error e^N = beta (y - r^N) is computed as a product, so e^N/beta is not a
   * quotient of a difference): only the state's rounding remains, {@link #differenceFloors} of the
   * state's {@code scale} relative to |t|, at every beta.
   */
  public static double[] productFloors(double[] betas, double scale, double targetNorm, double eps) {
    double[] floors = differenceFloors(betas, scale, eps);
    for (int i = 0; i < floors.length; i++) {
      floors[i] /= targetNorm;
    }
    return floors;
  }

  /** Ulps of rounding in a computed equilibrium state (measured: 1 to 2). */
  public static final double STATE_ULPS = 8;
}
