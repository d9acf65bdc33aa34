package ghostunits.plasticity;

import ghostunits.model.Feedback;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * Plain backprop for the same MLP (sigmoid units, no biases), batched on EJML: the baseline of the
 * benchmark and of {@code train --backprop}. One SGD step on the mean gradient of a mini-batch.
 */
public final class Backprop {
  private Backprop() {}

  /** The cost that backprop descends. */
  public enum Cost {
    /** The paper's cost, C = 1/2 |r^N - y|^2: the output error is (r^N - y) * rho'(s^N). */
    MSE,
    /**
     * Binary cross-entropy of the sigmoid outputs, C = -sum_i y_i log r_i + (1 - y_i) log(1 - r_i): the
     * output error is r^N - y, with no rho' factor. Not the paper's cost; a baseline that, like MA's
     * strongly nudged output (beta = 10), keeps a wrong output's error from vanishing with rho'.
     */
    BCE
  }

  /** W^k -= (eta_k / batch) sum_j dC_j/dW^k for C = 1/2 |r - y|^2 (the paper's cost). */
  public static void step(DenseNetwork net, DMatrixRMaj x, DMatrixRMaj y, double[] eta) {
    step(net, x, y, eta, Cost.MSE);
  }

  /**
   * W^k -= (eta_k / batch) sum_j dC_j/dW^k for the feedforward weights of {@code net} (changed in
   * place); x is n_0 x b, y is n_N x b.
   */
  public static void step(DenseNetwork net, DMatrixRMaj x, DMatrixRMaj y, double[] eta, Cost cost) {
    step(net, x, y, eta, cost, Feedback.TF);
  }

  /**
   * One SGD step as above with the error sent down by {@code feedback}: TF, backprop, through
   * (W^{k+1})^T; FA, feedback alignment (Lillicrap et al.), through the network's fixed B^k, the
   * delta_FA^k of C-FA (Mlp.deltasFeedbackAlignment) that Model A with FA approximates.
   */
  public static void step(DenseNetwork net, DMatrixRMaj x, DMatrixRMaj y, double[] eta, Cost cost,
      Feedback feedback) {
    DMatrixRMaj[] dw = increments(net, x, y, eta, cost, feedback);
    for (int k = net.depth(); k >= 1; k--) {
      net.addToW(k, dw[k - 1]);
    }
  }

  /**
   * The changes {@link #step} makes to each W^k (index k - 1), without making them: {@code net} is
   * read only. Every layer's error is computed before any weight changes, so applying these is
   * bitwise the step.
   */
  public static DMatrixRMaj[] increments(DenseNetwork net, DMatrixRMaj x, DMatrixRMaj y, double[] eta, Cost cost,
      Feedback feedback) {
    if (feedback == Feedback.FA && net.feedback() != Feedback.FA) {
      throw new TrainingException("feedback-alignment backprop needs the network's B^k, but its feedback is "
          + net.feedback());
    }
    int n = net.depth();
    DMatrixRMaj[] r = new DMatrixRMaj[n + 1];
    r[0] = x;
    for (int k = 1; k <= n; k++) {
      r[k] = Dense.rho(BatchDynamics.times(net.w(k), r[k - 1]));
    }
    DMatrixRMaj[] dw = new DMatrixRMaj[n];
    // g = dC/ds^k, from the top down: rho'(s^k) * dC/dr^k, with rho' = r (1 - r) for the sigmoid.
    DMatrixRMaj g = Dense.minus(r[n], y);
    for (int k = n; k >= 1; k--) {
      if (k < n || cost == Cost.MSE) {
        DMatrixRMaj rk = r[k];
        for (int i = 0; i < g.data.length; i++) {
          double v = rk.data[i];
          g.data[i] *= v * (1 - v);
        }
      }
      dw[k - 1] = new DMatrixRMaj(net.width(k), net.width(k - 1));
      CommonOps_DDRM.multTransB(-eta[k - 1] / x.numCols, g, r[k - 1], dw[k - 1]);
      if (k > 1) {
        DMatrixRMaj below = new DMatrixRMaj(net.width(k - 1), x.numCols);
        if (feedback == Feedback.FA) {
          CommonOps_DDRM.mult(net.b(k - 1), g, below);
        } else {
          CommonOps_DDRM.multTransA(net.w(k), g, below);
        }
        g = below;
      }
    }
    return dw;
  }
}
