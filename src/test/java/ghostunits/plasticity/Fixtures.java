package ghostunits.plasticity;

import ghostunits.dynamics.GhostNetwork;
import ghostunits.dynamics.State;
import ghostunits.dynamics.Stimulus;
import ghostunits.model.Feedback;
import ghostunits.model.Layers;
import ghostunits.model.Model;
import ghostunits.numeric.DoubleBackend;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/** Random small networks and batches for the plasticity properties, and links to the generic reference. */
final class Fixtures {
  private Fixtures() {}

  static final Model<Double, double[], DMatrixRMaj> MODEL = Model.paper(DoubleBackend.INSTANCE);

  /** A config for a random small network (only the fields the dynamics use matter). */
  static TrainConfig config(String model, Feedback fb, int[] widths, int[] ghosts, double init, double beta,
      int batch) {
    return new TrainConfig("test", model, fb, widths, ghosts, 0.001, 0.01, init, 200, 200, beta, batch, 1,
        fill(widths.length - 1, 0.1), fill(widths.length - 2, 0.05), false,
        "MA".equals(model) ? TrainConfig.CONVERGED : TrainConfig.FAST_CANCEL, 0, 0, "test");
  }

  /** A random network of a config, a random batch for it and the batch's input drive W^1 x. */
  record Problem(DenseNetwork net, DMatrixRMaj[] xy, DMatrixRMaj a) {
    /** Draws, in this order from {@code rng}, the network's weights and then the batch. */
    static Problem of(Random rng, String model, Feedback fb, int[] w, int[] ghosts, double init, double beta,
        int batch) {
      DenseNetwork net = DenseNetwork.initial(config(model, fb, w, ghosts, init, beta, batch), rng);
      DMatrixRMaj[] xy = batch(rng, w[0], w[w.length - 1], batch);
      return new Problem(net, xy, BatchDynamics.drive(net, xy[0]));
    }
  }

  /** Widths n_0..n_N of a random network with {@code hidden} hidden layers, each in 1..max. */
  static int[] widths(Random rng, int hidden, int max) {
    int[] w = new int[hidden + 2];
    for (int i = 0; i < w.length; i++) {
      w[i] = 1 + rng.nextInt(max);
    }
    return w;
  }

  static double[] fill(int n, double v) {
    double[] a = new double[n];
    java.util.Arrays.fill(a, v);
    return a;
  }

  /** x U(0, 1) (n_0 x b) and one-hot y with random labels (n_N x b). */
  static DMatrixRMaj[] batch(Random rng, int n0, int nOut, int b) {
    DMatrixRMaj x = new DMatrixRMaj(n0, b);
    for (int i = 0; i < x.data.length; i++) {
      x.data[i] = rng.nextDouble();
    }
    DMatrixRMaj y = new DMatrixRMaj(nOut, b);
    for (int j = 0; j < b; j++) {
      y.set(rng.nextInt(nOut), j, 1.0);
    }
    return new DMatrixRMaj[] {x, y};
  }

  static double[] column(DMatrixRMaj m, int j) {
    double[] v = new double[m.numRows];
    for (int i = 0; i < v.length; i++) {
      v[i] = m.get(i, j);
    }
    return v;
  }

  /** Example j of a batch state as the generic State. */
  static State<double[]> state(BatchDynamics.BatchState z, int j) {
    Layers<double[]> s = Layers.build(1, z.s().length, k -> column(z.s(k), j));
    Layers<double[]> g = Layers.build(1, z.g().length, k -> column(z.g(k), j));
    return new State<>(s, g);
  }

  static GhostNetwork<Double, double[], DMatrixRMaj> reference(DenseNetwork net) {
    return new GhostNetwork<>(MODEL, net.toWeights(DoubleBackend.INSTANCE));
  }

  static Stimulus<Double, double[]> stimulus(DMatrixRMaj x, DMatrixRMaj y, int j, double beta) {
    return new Stimulus<>(column(x, j), column(y, j), beta);
  }

  static double maxAbs(double[] v) {
    double m = 0;
    for (double d : v) {
      m = Math.max(m, Math.abs(d));
    }
    return m;
  }

  static double maxAbsDiff(double[] a, double[] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }

  /** ||A^{-1}||_inf (max row sum), the a-posteriori factor |z - z*| <= ||J^{-1}|| |F(z)| (first order). */
  static double inverseNorm(DMatrixRMaj a) {
    DMatrixRMaj inv = a.copy();
    if (!CommonOps_DDRM.invert(inv)) {
      throw new IllegalStateException("Jacobian is singular");
    }
    double m = 0;
    for (int i = 0; i < inv.numRows; i++) {
      double row = 0;
      for (int j = 0; j < inv.numCols; j++) {
        row += Math.abs(inv.get(i, j));
      }
      m = Math.max(m, row);
    }
    return m;
  }

  /** Max row sum. */
  static double normInf(DMatrixRMaj a) {
    double m = 0;
    for (int i = 0; i < a.numRows; i++) {
      double row = 0;
      for (int j = 0; j < a.numCols; j++) {
        row += Math.abs(a.get(i, j));
      }
      m = Math.max(m, row);
    }
    return m;
  }
}
