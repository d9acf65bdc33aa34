package ghostunits.plasticity;

import ghostunits.data.Mnist;
import ghostunits.model.Feedback;
import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.NormOps_DDRM;
import org.ejml.dense.row.SpecializedOps_DDRM;

/**
 * Compares, at fixed weights, the ghost network's weight step (eq. 6 at the weakly-clamped
 * equilibrium, exactly as {@link Trainer} takes it) with the steps plain backprop would take on the
 * same mini-batches at the same rates (MSE, the paper's cost, and BCE). It explains a learning curve:
 * a ghost step much shorter than backprop's at the same weights means proportionally more epochs.
 * Nothing is changed: {@code net} is read only.
 */
public final class StepComparison {
  private StepComparison() {}

  /** Upper ends of the |y - r| classes of the output units (the last class is everything above). */
  public static final double[] ERROR_CLASSES = {0.05, 0.2, 0.5};

  /**
   * Per layer k = 1..N (index k - 1): the norm ratios |dW_ghost| / |dW_bp| and cosines, summed over
   * all mini-batches (Frobenius inner products of the stacked steps). Per |y - r| class of the output
   * units at the free equilibrium: the share of outputs, and sum |bracket| / sum |y - r| where the
   * bracket is eq. 6's output factor rho(s^N) - rho(W^N r^{N-1}) at the weakly-clamped equilibrium
   * (BCE's factor is r - y itself, so 1 means "as large as BCE's").
   */
  public record Result(
      int batches,
      double[] ratioToMse,
      double[] cosineToMse,
      double[] ratioToBce,
      double[] cosineToBce,
      double[] outputShare,
      double[] bracketToError) {}

  /**
   * Compares over mini-batches 0..batches-1 of {@code order} (each of the trainer's batch size) of
   * {@code data}. Rows whose step also changes the ghosts are refused by {@link Trainer#updates}.
   */
  public static Result compare(Trainer trainer, DenseNetwork net, Mnist.Split data, int[] order, int batches) {
    return compare(trainer, net, data, order, batches, Feedback.TF);
  }

  /**
   * As above, with the backprop steps' error sent down by {@code baseline}: TF, backprop; FA, the
   * network's fixed B^k (feedback alignment, what Model A with FA approximates by C-FA).
   */
  public static Result compare(Trainer trainer, DenseNetwork net, Mnist.Split data, int[] order, int batches,
      Feedback baseline) {
    TrainConfig c = trainer.config();
    int b = c.batch();
    if (batches < 1 || (long) batches * b > order.length) {
      throw new IllegalArgumentException("asked for " + batches + " mini-batches of " + b + " but the order has "
          + order.length + " examples");
    }
    int n = net.depth();
    double[] ghost2 = new double[n];
    double[] mse2 = new double[n];
    double[] bce2 = new double[n];
    double[] ghostMse = new double[n];
    double[] ghostBce = new double[n];
    int classes = ERROR_CLASSES.length + 1;
    long[] count = new long[classes];
    double[] bracketSum = new double[classes];
    double[] errorSum = new double[classes];
    long outputs = 0;
    for (int i = 0; i < batches; i++) {
      DMatrixRMaj[] xy = Trainer.batch(data, order, i * b, b);
      DMatrixRMaj x = xy[0];
      DMatrixRMaj y = xy[1];
      // The ghost step, exactly as train takes it, on a copy: Model B's ghost fit changes Omega.
      DenseNetwork work = net.copy();
      Trainer.UnappliedStep step = trainer.unappliedStep(work, x, y);
      DMatrixRMaj a = step.drive();
      BatchDynamics.BatchState free = BatchDynamics.forward(work, a);
      BatchDynamics.BatchState nudged = step.nudged();
      DMatrixRMaj[] ghost = step.dw();
      DMatrixRMaj[] mse = Backprop.increments(net, x, y, c.etaW(), Backprop.Cost.MSE, baseline);
      DMatrixRMaj[] bce = Backprop.increments(net, x, y, c.etaW(), Backprop.Cost.BCE, baseline);
      for (int k = 0; k < n; k++) {
        ghost2[k] += dot(ghost[k], ghost[k]);
        mse2[k] += dot(mse[k], mse[k]);
        bce2[k] += dot(bce[k], bce[k]);
        ghostMse[k] += dot(ghost[k], mse[k]);
        ghostBce[k] += dot(ghost[k], bce[k]);
      }
      // Output bracket at the weakly-clamped equilibrium, against y - r at the free one.
      DMatrixRMaj rFree = Dense.rho(free.s(n));
      DMatrixRMaj below = n == 1 ? a : BatchDynamics.times(work.w(n), Dense.rho(nudged.s(n - 1)));
      DMatrixRMaj bracket = Dense.minus(Dense.rho(nudged.s(n)), Dense.rho(below));
      for (int j = 0; j < rFree.data.length; j++) {
        double err = Math.abs(y.data[j] - rFree.data[j]);
        int cls = 0;
        while (cls < ERROR_CLASSES.length && err >= ERROR_CLASSES[cls]) {
          cls++;
        }
        count[cls]++;
        bracketSum[cls] += Math.abs(bracket.data[j]);
        errorSum[cls] += err;
        outputs++;
      }
    }
    double[] ratioMse = new double[n];
    double[] cosMse = new double[n];
    double[] ratioBce = new double[n];
    double[] cosBce = new double[n];
    for (int k = 0; k < n; k++) {
      ratioMse[k] = Math.sqrt(ghost2[k] / mse2[k]);
      cosMse[k] = ghostMse[k] / Math.sqrt(ghost2[k] * mse2[k]);
      ratioBce[k] = Math.sqrt(ghost2[k] / bce2[k]);
      cosBce[k] = ghostBce[k] / Math.sqrt(ghost2[k] * bce2[k]);
    }
    double[] share = new double[classes];
    double[] ratio = new double[classes];
    for (int cls = 0; cls < classes; cls++) {
      share[cls] = (double) count[cls] / outputs;
      ratio[cls] = count[cls] == 0 ? Double.NaN : bracketSum[cls] / errorSum[cls];
    }
    return new Result(batches, ratioMse, cosMse, ratioBce, cosBce, share, ratio);
  }

  /**
   * How large the weights are and how far training moved them, per layer k = 1..N (index k - 1):
   * the rms of W^k's entries and rms(W^k - W^k(0)) / rms(W^k(0)); for FA, the rms of each fixed B^k
   * (k = 1..N-1; empty under TF). The size of B^k against W^{k+1} is what sets how much of
   * backprop's signal feedback alignment sends down (reports/table1.md, the two-hidden-layer row).
   */
  public record WeightSizes(double[] rms, double[] movedFromInitial, double[] feedbackRms) {}

  /**
   * The sizes of {@code net} against {@code initial}, the weights its training started from. Under FA
   * the fixed B^k of both must be the same bits (training never changes them): a difference means
   * {@code initial} is not where {@code net} started, and is refused.
   */
  public static WeightSizes sizes(DenseNetwork net, DenseNetwork initial) {
    if (!Arrays.equals(net.widths(), initial.widths()) || net.feedback() != initial.feedback()) {
      throw new IllegalArgumentException("networks of widths " + Arrays.toString(net.widths()) + " ("
          + net.feedback() + ") and " + Arrays.toString(initial.widths()) + " (" + initial.feedback()
          + ") cannot be compared");
    }
    int n = net.depth();
    double[] rms = new double[n];
    double[] moved = new double[n];
    for (int k = 1; k <= n; k++) {
      // Same size, so the ratio of rms values is the ratio of Frobenius norms.
      rms[k - 1] = NormOps_DDRM.normF(net.w(k)) / Math.sqrt(net.w(k).data.length);
      moved[k - 1] = SpecializedOps_DDRM.diffNormF(net.w(k), initial.w(k)) / NormOps_DDRM.normF(initial.w(k));
    }
    double[] feedbackRms = new double[net.feedback() == Feedback.FA ? n - 1 : 0];
    for (int k = 1; k <= feedbackRms.length; k++) {
      DMatrixRMaj b = net.b(k);
      if (!Arrays.equals(b.data, initial.b(k).data)) {
        throw new TrainingException("the fixed B^" + k + " differs from the initial one: these weights did not start"
            + " from the initial weights they are compared with (another seed or init?)");
      }
      feedbackRms[k - 1] = NormOps_DDRM.normF(b) / Math.sqrt(b.data.length);
    }
    return new WeightSizes(rms, moved, feedbackRms);
  }

  private static double dot(DMatrixRMaj u, DMatrixRMaj v) {
    double s = 0;
    for (int i = 0; i < u.data.length; i++) {
      s += u.data[i] * v.data[i];
    }
    return s;
  }
}
