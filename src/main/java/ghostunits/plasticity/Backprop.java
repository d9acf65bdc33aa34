package ghostunits.plasticity;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * Plain backprop for the same MLP (sigmoid, cost 1/2 |r - y|^2), batched on EJML: the baseline of
 * the benchmark. One SGD step on the mean gradient of a mini-batch.
 */
public final class Backprop {
  private Backprop() {}

  /** W^k -= (eta_k / batch) sum_j dC_j/dW^k, for the feedforward weights of {@code net}. */
  public static void step(DenseNetwork net, DMatrixRMaj x, DMatrixRMaj y, double[] eta) {
    int n = net.depth();
    DMatrixRMaj[] r = new DMatrixRMaj[n + 1];
    r[0] = x;
    for (int k = 1; k <= n; k++) {
      r[k] = Dense.rho(BatchDynamics.times(net.w(k), r[k - 1]));
    }
    // g = rho'(s^k) * delta^k, from the top down.
    DMatrixRMaj g = Dense.minus(r[n], y);
    for (int k = n; k >= 1; k--) {
      DMatrixRMaj rk = r[k];
      for (int i = 0; i < g.data.length; i++) {
        double v = rk.data[i];
        g.data[i] *= v * (1 - v);
      }
      DMatrixRMaj below = null;
      if (k > 1) {
        below = new DMatrixRMaj(net.width(k - 1), x.numCols);
        CommonOps_DDRM.multTransA(net.w(k), g, below);
      }
      DMatrixRMaj dw = new DMatrixRMaj(net.width(k), net.width(k - 1));
      CommonOps_DDRM.multTransB(-eta[k - 1] / x.numCols, g, r[k - 1], dw);
      net.addToW(k, dw);
      if (below != null) {
        g = below;
      }
    }
  }
}
