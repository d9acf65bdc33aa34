package ghostunits.plasticity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ghostunits.data.Mnist;
import ghostunits.model.Feedback;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * {@link Trainer#evaluate}, the per-epoch accuracy and cost that train writes to its curves, against
 * a plain per-example loop written here: feedforward r^k = sigmoid(W^k r^{k-1}) (the free phase's
 * equilibrium when the ghosts cancel the feedback), first largest output as the prediction (ties go to the lowest class), cost
 * 1/2 |r^N - onehot(label)|^2 averaged over the examples evaluated. Synthetic data, so it runs
 * without MNIST: 2,345 examples cross evaluate's chunks of 1,000.
 */
class TrainerEvaluateTest {
  static final int N0 = 6;
  static final int EXAMPLES = 2345;

  /** What evaluate should return for the first n examples, computed one example at a time. */
  private static Trainer.Score expected(DenseNetwork net, Mnist.Split data, int n) {
    int correct = 0;
    double cost = 0;
    for (int e = 0; e < n; e++) {
      double[] r = outputs(net, data.images()[e]);
      if (argmax(r) == data.labels()[e]) {
        correct++;
      }
      for (int c = 0; c < r.length; c++) {
        double d = r[c] - (c == data.labels()[e] ? 1 : 0);
        cost += 0.5 * d * d;
      }
    }
    return new Trainer.Score(100.0 * correct / n, cost / n);
  }

  private static double[] outputs(DenseNetwork net, double[] x) {
    double[] r = x;
    for (int k = 1; k <= net.depth(); k++) {
      double[] next = new double[net.width(k)];
      for (int i = 0; i < next.length; i++) {
        double s = 0;
        for (int j = 0; j < r.length; j++) {
          s += net.w(k).get(i, j) * r[j];
        }
        next[i] = 1 / (1 + Math.exp(-s));
      }
      r = next;
    }
    return r;
  }

  /**
   * Random images; the label is the network's own prediction for about 60% of the examples (so
   * accuracy is far from chance and a wrong prediction or label index shows) and random otherwise.
   */
  private static Mnist.Split data(DenseNetwork net, Random rng) {
    double[][] images = new double[EXAMPLES][N0];
    int[] labels = new int[EXAMPLES];
    for (int e = 0; e < EXAMPLES; e++) {
      for (int i = 0; i < N0; i++) {
        images[e][i] = rng.nextDouble();
      }
      labels[e] = rng.nextDouble() < 0.6 ? argmax(outputs(net, images[e])) : rng.nextInt(10);
    }
    return new Mnist.Split(images, labels);
  }

  /** How many of the first n examples have their largest output at the tied pair 3 and 5. */
  private static int ties(DenseNetwork net, Mnist.Split data, int n) {
    int t = 0;
    for (int e = 0; e < n; e++) {
      if (argmax(outputs(net, data.images()[e])) == 3) {
        t++;
      }
    }
    return t;
  }

  private static int argmax(double[] r) {
    int best = 0;
    for (int c = 1; c < r.length; c++) {
      if (r[c] > r[best]) {
        best = c;
      }
    }
    return best;
  }

  @Test
  void accuracyAndCostMatchAPerExampleLoop() {
    for (TrainConfig c : new TrainConfig[] {
        Fixtures.config("MA", Feedback.FA, new int[] {N0, 7, 10}, new int[] {10}, 1.5, 10, 100),
        Fixtures.config("MB", Feedback.TF, new int[] {N0, 5, 4, 10}, new int[] {3, 2}, 1.5, 0.1, 1)}) {
      Random rng = new Random(11);
      DenseNetwork net = DenseNetwork.initial(c, rng);
      // Outputs 3 and 5 get the same weights, so they always tie; where they are the largest, the
      // prediction is 3 (the first, as numpy's argmax).
      DMatrixRMaj top = net.w(net.depth());
      for (int j = 0; j < top.numCols; j++) {
        top.set(5, j, top.get(3, j));
      }
      Mnist.Split data = data(net, rng);
      for (int limit : new int[] {EXAMPLES, 1000, 1001, 17, 1_000_000}) {
        int n = Math.min(limit, EXAMPLES);
        Trainer.Score want = expected(net, data, n);
        Trainer.Score got = Trainer.evaluate(net, data, limit);
        String what = c.model() + ", limit " + limit;
        assertThat(got.accuracy()).as(what).isEqualTo(want.accuracy());
        assertThat(got.mse()).as(what).isCloseTo(want.mse(), within(1e-13 * want.mse()));
        if (n >= 1000) {
          assertThat(ties(net, data, n)).as(what).isGreaterThan(n / 50);
          // Not a vacuous comparison: the labels make accuracy neither 0 nor chance (about 64%).
          assertThat(want.accuracy()).as(what).isBetween(50.0, 80.0);
        }
      }
    }
  }
}
