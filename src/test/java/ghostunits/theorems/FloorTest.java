package ghostunits.theorems;

import static org.assertj.core.api.Assertions.assertThat;

import ghostunits.model.Feedback;
import ghostunits.model.NetworkSpec;
import ghostunits.numeric.ApfloatBackend;
import ghostunits.numeric.DoubleBackend;
import ghostunits.testing.Orders;
import ghostunits.theory.Probe;
import ghostunits.theory.Sweep;
import ghostunits.theory.T1Sweep;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * FLOOR: the one-sided estimate e^k/beta of a hidden layer has truncation error A beta and, in
 * floating point, rounding error c u / beta (e^k subtracts two O(1) numbers that agree to O(beta)).
 * In double the total is smallest near sqrt(eps) and grows below; at 50 digits there is no floor
 * above 1e-14. A few fixed networks, a decade grid 1e-1 .. 1e-14 (reports/floor.md prints the first).
 */
class FloorTest {
  static final double[] BETAS = {1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9, 1e-10, 1e-11, 1e-12,
      1e-13, 1e-14};

  /** Two 6-5-4-3 nets (the design note's shape) and a deeper one, whose floor sits higher. */
  static final List<NetworkSpec> NETWORKS = List.of(
      NetworkSpec.random(new Random(1), Feedback.TF, new int[] {6, 5, 4, 3}, 1.0),
      NetworkSpec.random(new Random(2), Feedback.TF, new int[] {6, 5, 4, 3}, 1.0),
      NetworkSpec.random(new Random(1), Feedback.TF, new int[] {8, 6, 6, 4, 2}, 1.0));

  /** The window FLOOR.md (b) puts the optimum in, widened by a decade each side for c/A outside 1e-2..1e2. */
  static final double ARGMIN_LOW = 1e-10;
  static final double ARGMIN_HIGH = 1e-6;

  @Test
  void oneSidedErrorIsSmallestNearSqrtMachineEpsilon() {
    for (NetworkSpec spec : NETWORKS) {
      Sweep sweep = T1Sweep.errorOverBeta(DoubleBackend.INSTANCE, spec, BETAS);
      for (int k = 1; k < spec.depth(); k++) {
        double[] err = sweep.layer(k);
        int argmin = 0;
        for (int i = 1; i < err.length; i++) {
          if (err[i] < err[argmin]) {
            argmin = i;
          }
        }
        String what = spec + " hidden layer " + k + ": errors " + Arrays.toString(err) + " at betas "
            + Arrays.toString(BETAS);
        assertThat(BETAS[argmin]).as("beta of the smallest error, " + what).isBetween(ARGMIN_LOW, ARGMIN_HIGH);
        // Below the optimum rounding takes over: at 1e-14 the error is far above the minimum.
        assertThat(err[err.length - 1]).as("error at the smallest beta against 10x the minimum, " + what)
            .isGreaterThan(10 * err[argmin]);
      }
    }
  }

  /**
   * FLOOR (e): e^N = beta (y - r^N) is a product, so the output's error keeps falling to 1e-14: at
   * every beta it stays below twice the order-1 extrapolation from 1e-1 plus the state's rounding.
   */
  @Test
  void outputLayerHasNoFloor() {
    for (NetworkSpec spec : NETWORKS) {
      Sweep sweep = T1Sweep.errorOverBeta(DoubleBackend.INSTANCE, spec, BETAS);
      Probe<Double, double[], DMatrixRMaj> p = new Probe<>(DoubleBackend.INSTANCE, spec);
      int n = spec.depth();
      double[] err = sweep.layer(n);
      double[] floors = Orders.productFloors(BETAS, p.norm(p.mlp.s().at(n)), p.norm(p.delta.at(n)), Math.ulp(1.0));
      for (int i = 0; i < BETAS.length; i++) {
        double bound = 2 * err[0] * BETAS[i] / BETAS[0] + floors[i];
        assertThat(err[i]).as(spec + " output layer at beta " + BETAS[i] + ": errors " + Arrays.toString(err))
            .isLessThanOrEqualTo(bound);
      }
    }
  }

  /** At 50 digits the floor is near 1e-25: order 1 at every decade, 1e-1 .. 1e-14, every layer. */
  @Test
  void apfloatHasNoFloor() {
    ApfloatBackend be = new ApfloatBackend(50);
    for (NetworkSpec spec : NETWORKS) {
      Sweep sweep = T1Sweep.errorOverBeta(be, spec, BETAS);
      for (int k = 1; k <= spec.depth(); k++) {
        Orders.assertOrder(spec + " layer " + k + " at 50 digits", BETAS, sweep.layer(k), 1.0, 0.1);
      }
    }
  }
}
