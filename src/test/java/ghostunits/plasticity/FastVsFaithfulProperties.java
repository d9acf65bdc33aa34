package ghostunits.plasticity;

import ghostunits.model.Feedback;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.ejml.data.DMatrixRMaj;

/**
 * The fast path gives the faithful path's weight updates, to the tolerance derived in
 * {@link FastVsFaithful}, on random networks run with the paper's dynamics settings: Model A with
 * h = 0.1, 200 free + 200 weakly-clamped Euler steps, beta = 10 (Table 2); Model B with h = 0.5,
 * 100 + 40 steps, beta = 0.1 (Table 4).
 */
class FastVsFaithfulProperties {
  private static int[] widths(Random rng, int hidden, int max) {
    int[] w = new int[hidden + 2];
    for (int i = 0; i < w.length; i++) {
      w[i] = 2 + rng.nextInt(max - 1);
    }
    return w;
  }

  @Property(tries = 40)
  void modelAFastUpdatesEqualFaithfulUpdates(@ForAll long seed, @ForAll @IntRange(min = 1, max = 2) int hidden,
      @ForAll boolean fa, @ForAll @DoubleRange(min = 0.05, max = 0.3) double init) {
    Random rng = new Random(seed);
    int[] w = widths(rng, hidden, 20);
    TrainConfig c = new TrainConfig("prop", "MA", fa ? Feedback.FA : Feedback.TF, w, Arrays.copyOfRange(w, 2, w.length),
        0.001, 0.01, init, 200, 200, 10.0, 4, 1, Fixtures.fill(hidden + 1, 0.1), Fixtures.fill(hidden, 0.05), false,
        TrainConfig.CONVERGED, 0, 0, "");
    DenseNetwork net = DenseNetwork.initial(c, rng);
    DMatrixRMaj[] xy = Fixtures.batch(rng, w[0], w[w.length - 1], 4);
    FastVsFaithful.compare(c, net, xy[0], xy[1]);
  }

  @Property(tries = 40)
  void modelBFastUpdatesEqualFaithfulUpdates(@ForAll long seed, @ForAll boolean fa,
      @ForAll @DoubleRange(min = 0.05, max = 0.3) double init) {
    Random rng = new Random(seed);
    int[] w = widths(rng, 1, 20);
    TrainConfig c = new TrainConfig("prop", "MB", fa ? Feedback.FA : Feedback.TF, w, new int[] {1 + rng.nextInt(5)},
        0.005, 0.01, init, 100, 40, 0.1, 1, 1, new double[] {4.0, 0.04}, new double[] {20}, true,
        TrainConfig.FAST_CANCEL, 0, 0, "");
    DenseNetwork net = DenseNetwork.initial(c, rng);
    DMatrixRMaj[] xy = Fixtures.batch(rng, w[0], w[w.length - 1], 1);
    FastVsFaithful.compare(c, net, xy[0], xy[1]);
  }
}
