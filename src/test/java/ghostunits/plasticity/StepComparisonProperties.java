package ghostunits.plasticity;

import static org.assertj.core.api.Assertions.assertThat;

import ghostunits.data.Mnist;
import ghostunits.model.Feedback;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The step comparison measures what it says: with eq. 6 divided by beta, MA's step tends to
 * backprop's MSE step as beta -> 0 (C1; with FA feedback only in the output layer, C-FA), so the norm ratio tends to 1 at order 1 in beta and the
 * cosine at order 2, and the output bracket tends to beta rho'(s) (y - r), so its ratio to |y - r|
 * lies in (0, beta / 4]. A comparison that mixed up its two sides, or took the step at another
 * state, fails these orders. It never changes the network it reads.
 */
class StepComparisonProperties {
  private static final double[] BETAS = {1e-2, 1e-3};

  @Property(tries = 15)
  void modelAStepTendsToBackpropMseAtTheOrdersOfC1(@ForAll long seed, @ForAll @IntRange(min = 2, max = 8) int hidden,
      @ForAll Feedback feedback) {
    Random rng = new Random(seed);
    int n0 = 3 + rng.nextInt(6);
    Mnist.Split data = split(rng, n0, 40);
    int[] order = Trainer.order(seed, 1, data.size());
    double[] ratioGap = new double[BETAS.length];
    double[] cosineGap = new double[BETAS.length];
    DenseNetwork net = null;
    for (int i = 0; i < BETAS.length; i++) {
      TrainConfig c = config(TrainConfig.MA, feedback, new int[] {n0, hidden, 10}, new int[] {10}, BETAS[i]);
      if (net == null) {
        net = DenseNetwork.initial(c, new Random(seed));
      }
      DenseNetwork before = net.copy();
      StepComparison.Result r = StepComparison.compare(new Trainer(c, Trainer.Path.FAST), net, data, order, 4);
      assertThat(net.sameBits(before)).as("the compared network is unchanged").isTrue();
      // TF: every layer tends to backprop. FA (C-FA): only W^N, whose error is the same in both.
      for (int k = feedback == Feedback.TF ? 0 : 1; k < 2; k++) {
        ratioGap[i] = Math.max(ratioGap[i], Math.abs(r.ratioToMse()[k] - 1));
        cosineGap[i] = Math.max(cosineGap[i], 1 - r.cosineToMse()[k]);
      }
      assertThat(Arrays.stream(r.outputShare()).sum()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-12));
      for (int cls = 0; cls < r.bracketToError().length; cls++) {
        double q = r.bracketToError()[cls];
        if (!Double.isNaN(q)) {
          assertThat(q).as("bracket / |y - r|, class %d, beta %s", cls, BETAS[i]).isPositive()
              .isLessThanOrEqualTo(BETAS[i] / 4 * (1 + 1e-6));
        }
      }
    }
    // Order 1 for the norm ratio, order 2 for the cosine: a tenfold smaller beta shrinks the gaps
    // about 10 and 100 times (bounds leave a factor 2 for the O(beta^2) and O(beta^3) terms).
    assertThat(ratioGap[1]).as("|ratio - 1| at beta 1e-3 vs 1e-2: %s", Arrays.toString(ratioGap))
        .isBetween(ratioGap[0] / 20, ratioGap[0] / 5);
    assertThat(cosineGap[1]).as("1 - cosine at beta 1e-3 vs 1e-2: %s", Arrays.toString(cosineGap))
        .isBetween(cosineGap[0] / 200, cosineGap[0] / 50);
  }

  @Property(tries = 5)
  void modelBComparisonLeavesTheNetworkUnchanged(@ForAll long seed) {
    Random rng = new Random(seed);
    Mnist.Split data = split(rng, 5, 6);
    TrainConfig c = config(TrainConfig.MB, Feedback.TF, new int[] {5, 7, 10}, new int[] {3}, 0.1);
    DenseNetwork net = DenseNetwork.initial(c, new Random(seed));
    DenseNetwork before = net.copy();
    StepComparison.compare(new Trainer(c, Trainer.Path.FAST), net, data, Trainer.order(seed, 1, 6), 6);
    assertThat(net.sameBits(before)).isTrue();
  }

  /** n random examples: inputs U(0, 1), labels 0..9. */
  private static Mnist.Split split(Random rng, int n0, int n) {
    double[][] images = new double[n][n0];
    int[] labels = new int[n];
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < n0; i++) {
        images[j][i] = rng.nextDouble();
      }
      labels[j] = rng.nextInt(10);
    }
    return new Mnist.Split(images, labels);
  }

  /** eq. 6 divided by beta, init U(-1, 1), batch 10 (MA) or 1 (MB). */
  private static TrainConfig config(String model, Feedback fb, int[] widths, int[] ghosts, double beta) {
    boolean ma = TrainConfig.MA.equals(model);
    return new TrainConfig("test", model, fb, widths, ghosts, 0.001, 0.01, 1.0, 200, 200, beta, ma ? 10 : 1, 1,
        new double[] {0.3, 0.2}, new double[] {ma ? 0.05 : 20}, true,
        ma ? TrainConfig.CONVERGED : TrainConfig.FAST_CANCEL, 0, 0, "test");
  }
}
