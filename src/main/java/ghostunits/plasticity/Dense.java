package ghostunits.plasticity;

import org.ejml.data.DMatrixRMaj;

/**
 * Elementwise kernels on EJML matrices for the batched double path (columns are examples). The
 * sigmoid is computed exactly as {@link ghostunits.model.Sigmoid} does in double,
 * 1 / (1 + exp(-x)), so the batched path and the generic reference see the same rates.
 */
final class Dense {
  private Dense() {}

  static double rho(double x) {
    return 1.0 / (1.0 + Math.exp(-x));
  }

  static DMatrixRMaj rho(DMatrixRMaj s) {
    DMatrixRMaj out = new DMatrixRMaj(s.numRows, s.numCols);
    double[] a = s.data;
    double[] o = out.data;
    int n = s.getNumElements();
    for (int i = 0; i < n; i++) {
      o[i] = rho(a[i]);
    }
    return out;
  }

  /** rho'(s) = rho (1 - rho), from the rates r = rho(s). */
  static DMatrixRMaj slopeFromRates(DMatrixRMaj r) {
    DMatrixRMaj out = new DMatrixRMaj(r.numRows, r.numCols);
    int n = r.getNumElements();
    for (int i = 0; i < n; i++) {
      double v = r.data[i];
      out.data[i] = v * (1 - v);
    }
    return out;
  }

  static DMatrixRMaj minus(DMatrixRMaj a, DMatrixRMaj b) {
    DMatrixRMaj out = new DMatrixRMaj(a.numRows, a.numCols);
    int n = a.getNumElements();
    for (int i = 0; i < n; i++) {
      out.data[i] = a.data[i] - b.data[i];
    }
    return out;
  }

  static DMatrixRMaj plus(DMatrixRMaj a, DMatrixRMaj b) {
    DMatrixRMaj out = new DMatrixRMaj(a.numRows, a.numCols);
    int n = a.getNumElements();
    for (int i = 0; i < n; i++) {
      out.data[i] = a.data[i] + b.data[i];
    }
    return out;
  }

  static DMatrixRMaj scale(double c, DMatrixRMaj a) {
    DMatrixRMaj out = new DMatrixRMaj(a.numRows, a.numCols);
    int n = a.getNumElements();
    for (int i = 0; i < n; i++) {
      out.data[i] = c * a.data[i];
    }
    return out;
  }

  static double maxAbs(DMatrixRMaj a) {
    double m = 0;
    int n = a.getNumElements();
    for (int i = 0; i < n; i++) {
      double v = Math.abs(a.data[i]);
      if (!(v <= m)) {
        m = v; // NaN propagates: a NaN entry makes the norm NaN
      }
    }
    return m;
  }

  /** Max-norm of a vector; NaN propagates, as in {@link #maxAbs(DMatrixRMaj)}. */
  static double maxAbs(double[] v) {
    double m = 0;
    for (double x : v) {
      double a = Math.abs(x);
      if (!(a <= m)) {
        m = a;
      }
    }
    return m;
  }

  static double maxAbsDiff(DMatrixRMaj a, DMatrixRMaj b) {
    double m = 0;
    int n = a.getNumElements();
    for (int i = 0; i < n; i++) {
      double v = Math.abs(a.data[i] - b.data[i]);
      if (!(v <= m)) {
        m = v;
      }
    }
    return m;
  }
}
