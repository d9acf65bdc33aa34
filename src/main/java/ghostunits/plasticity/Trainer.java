package ghostunits.plasticity;

import ghostunits.data.Mnist;
import ghostunits.plasticity.BatchDynamics.BatchState;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;

/**
 * The training loops of MA and MB (TF or FA): for each mini-batch, the free phase, the
 * weakly-clamped phase, then eq. 6 at the weakly-clamped state. How each phase reaches its
 * equilibrium is the {@link Path}.
 */
public final class Trainer {
  /** How a phase reaches its equilibrium. */
  public enum Path {
    /** The equilibrium directly (forward pass, reduced Newton). */
    FAST,
    /** The Euler map for the paper's step counts, from rest. */
    FAITHFUL
  }

  private final TrainConfig config;
  private final Path path;
  private final double[] factors;
  private final double h;

  public Trainer(TrainConfig config, Path path) {
    this.config = config;
    this.path = path;
    this.factors = new double[config.depth()];
    for (int k = 1; k <= config.depth(); k++) {
      factors[k - 1] = config.weightFactor(k);
    }
    this.h = config.timeStep().h();
  }

  public TrainConfig config() {
    return config;
  }

  /** One mini-batch: x (n_0 x b), one-hot y (n_N x b). Changes {@code net} in place. */
  public void step(DenseNetwork net, DMatrixRMaj x, DMatrixRMaj y) {
    DMatrixRMaj a = BatchDynamics.drive(net, x);
    BatchState nudged = nudgedState(net, x, y, a);
    BatchDynamics.applyWeightUpdate(net, x, a, nudged, factors);
  }

  /** The weight updates of one mini-batch, without applying them (for the fast-vs-faithful checks). */
  public DMatrixRMaj[] updates(DenseNetwork net, DMatrixRMaj x, DMatrixRMaj y) {
    DMatrixRMaj a = BatchDynamics.drive(net, x);
    BatchState nudged = nudgedState(net, x, y, a);
    return BatchDynamics.weightUpdate(net, x, a, nudged, factors);
  }

  /** Both phases; Model B first fits its ghosts (which changes Omega in {@code net}). */
  public BatchState nudgedState(DenseNetwork net, DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj a) {
    BatchState fitted = net.modelA() ? null : BatchDynamics.fitGhostsModelB(net, a);
    double beta = config.beta();
    if (path == Path.FAST) {
      BatchState free = fitted != null ? fitted : BatchDynamics.forward(net, a);
      return net.modelA()
          ? BatchDynamics.nudgedModelA(net, a, y, beta, free)
          : BatchDynamics.nudgedModelB(net, a, y, beta, free);
    }
    BatchState free = BatchDynamics.euler(net, a, y, 0.0, BatchDynamics.zero(net, x.numCols), h, config.freeSteps());
    return BatchDynamics.euler(net, a, y, beta, free, h, config.nudgedSteps());
  }

  /** The example order of an epoch: a permutation fixed by (seed, epoch), so a resumed run repeats it. */
  public static int[] order(long seed, int epoch, int n) {
    Random rng = new Random(seed * 1_000_003L + epoch);
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = idx[i];
      idx[i] = idx[j];
      idx[j] = t;
    }
    return idx;
  }

  /** Columns idx[from..from+b-1] of the split as x (784 x b) and one-hot y (10 x b). */
  public static DMatrixRMaj[] batch(Mnist.Split data, int[] idx, int from, int b) {
    int n0 = data.images()[0].length;
    DMatrixRMaj x = new DMatrixRMaj(n0, b);
    DMatrixRMaj y = new DMatrixRMaj(10, b);
    for (int j = 0; j < b; j++) {
      int e = idx[from + j];
      double[] im = data.images()[e];
      for (int i = 0; i < n0; i++) {
        x.data[i * b + j] = im[i];
      }
      y.data[data.labels()[e] * b + j] = 1.0;
    }
    return new DMatrixRMaj[] {x, y};
  }

  /** Accuracy (%) and mean cost 1/2 |r^N - y|^2 of the feedforward graph (the free phase's equilibrium). */
  public record Score(double accuracy, double mse) {}

  public static Score evaluate(DenseNetwork net, Mnist.Split data, int limit) {
    int n = Math.min(limit, data.size());
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    int correct = 0;
    double cost = 0;
    int chunk = 1000;
    for (int from = 0; from < n; from += chunk) {
      int b = Math.min(chunk, n - from);
      DMatrixRMaj[] xy = batch(data, idx, from, b);
      BatchState fwd = BatchDynamics.forward(net, BatchDynamics.drive(net, xy[0]));
      DMatrixRMaj r = Dense.rho(fwd.s(net.depth()));
      for (int j = 0; j < b; j++) {
        int best = 0;
        for (int c = 0; c < r.numRows; c++) {
          double v = r.unsafe_get(c, j);
          double d = v - xy[1].unsafe_get(c, j);
          cost += 0.5 * d * d;
          if (v > r.unsafe_get(best, j)) {
            best = c;
          }
        }
        if (best == data.labels()[from + j]) {
          correct++;
        }
      }
    }
    return new Score(100.0 * correct / n, cost / n);
  }
}
