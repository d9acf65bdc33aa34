package ghostunits.plasticity;

import static org.assertj.core.api.Assertions.assertThat;

import ghostunits.model.Feedback;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.ejml.data.DMatrixRMaj;

/**
 * What {@link Trainer#step} does to a network is what {@link Trainer#updates} reports: training
 * applies eq. 6 through a fused in-place outer product ({@code BatchDynamics.applyWeightUpdate}),
 * while the fast-vs-faithful checks, {@code steps} and the oracle read the separately built
 * {@code weightUpdate}. So W^k after a step equals W^k + dW^k to rounding, under TF
 * B^{k-1} = (W^k)^T exactly afterwards, and for Model B the ghost fit leaves the same Omega either
 * way.
 *
 * <p>Rounding: each entry of the update is a sum of b products of rates (in [0, 1]) times
 * c_k / b, so |c_k| bounds it; the fused sum and the separate one (then one addition) differ by at
 * most about (b + 2) eps (|W^k| + |c_k|) per entry; the check allows 4 times that.
 */
class TrainerStepProperties {
  static final double EPS = Math.ulp(1.0);

  @Property(tries = 40)
  void modelAStepAppliesItsUpdates(@ForAll long seed, @ForAll @IntRange(min = 1, max = 2) int hidden,
      @ForAll boolean fa, @ForAll boolean faithful) {
    Random rng = new Random(seed);
    int[] w = widths(rng, hidden);
    int batch = 1 + rng.nextInt(6);
    TrainConfig c = new TrainConfig("prop", "MA", fa ? Feedback.FA : Feedback.TF, w,
        Arrays.copyOfRange(w, 2, w.length), 0.001, 0.01, 0.3, 200, 200, 10.0, batch, 1,
        Fixtures.fill(hidden + 1, 0.1), Fixtures.fill(hidden, 0.05), false, TrainConfig.CONVERGED, 0, 0, "");
    check(c, faithful, rng);
  }

  @Property(tries = 40)
  void modelBStepAppliesItsUpdates(@ForAll long seed, @ForAll boolean fa, @ForAll boolean faithful) {
    Random rng = new Random(seed);
    int[] w = widths(rng, 1);
    TrainConfig c = new TrainConfig("prop", "MB", fa ? Feedback.FA : Feedback.TF, w, new int[] {1 + rng.nextInt(5)},
        0.005, 0.01, 0.3, 100, 40, 0.1, 1, 1, new double[] {4.0, 0.04}, new double[] {20}, true,
        TrainConfig.FAST_CANCEL, 0, 0, "");
    check(c, faithful, rng);
  }

  private static void check(TrainConfig c, boolean faithful, Random rng) {
    DenseNetwork net = DenseNetwork.initial(c, rng);
    DMatrixRMaj[] xy = Fixtures.batch(rng, c.widths()[0], c.widths()[c.depth()], c.batch());
    Trainer t = new Trainer(c, faithful ? Trainer.Path.FAITHFUL : Trainer.Path.FAST);
    DenseNetwork reported = net.copy();
    DMatrixRMaj[] dw = t.updates(reported, xy[0], xy[1]);
    DenseNetwork stepped = net.copy();
    t.step(stepped, xy[0], xy[1]);
    double largestUpdate = 0;
    double largestTolerance = 0;
    for (int k = 1; k <= c.depth(); k++) {
      DMatrixRMaj before = net.w(k);
      double tol = 4 * (c.batch() + 2) * EPS * (maxAbs(before) + Math.abs(c.weightFactor(k)));
      for (int i = 0; i < before.numRows; i++) {
        for (int j = 0; j < before.numCols; j++) {
          double want = before.get(i, j) + dw[k - 1].get(i, j);
          assertThat(Math.abs(stepped.w(k).get(i, j) - want)).as("%s %s, W^%d[%d][%d]", c.model(), c.feedback(), k,
              i, j).isLessThanOrEqualTo(tol);
        }
      }
      largestUpdate = Math.max(largestUpdate, maxAbs(dw[k - 1]));
      largestTolerance = Math.max(largestTolerance, tol);
      if (c.feedback() == Feedback.TF && k >= 2) {
        DMatrixRMaj b = stepped.b(k - 1);
        for (int i = 0; i < b.numRows; i++) {
          for (int j = 0; j < b.numCols; j++) {
            assertThat(b.get(i, j)).as("B^%d = (W^%d)^T after the step", k - 1, k)
                .isEqualTo(stepped.w(k).get(j, i));
          }
        }
      }
    }
    // Not vacuous: the step moved the weights by far more than the rounding allowance.
    assertThat(largestUpdate).isGreaterThan(1e3 * largestTolerance);
    if (!c.isModelA()) {
      for (int k = 1; k < c.depth(); k++) {
        assertThat(stepped.omega(k).data).as("Omega^%d after the ghost fit", k)
            .containsExactly(reported.omega(k).data);
      }
    }
  }

  private static int[] widths(Random rng, int hidden) {
    int[] w = new int[hidden + 2];
    for (int i = 0; i < w.length; i++) {
      w[i] = 2 + rng.nextInt(7);
    }
    return w;
  }

  private static double maxAbs(DMatrixRMaj m) {
    double a = 0;
    for (double v : m.data) {
      a = Math.max(a, Math.abs(v));
    }
    return a;
  }
}
