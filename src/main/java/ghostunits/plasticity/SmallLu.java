package ghostunits.plasticity;

import ghostunits.numeric.SingularMatrixException;

/** LU with partial pivoting for the small reduced Newton systems (n ~ 10-20). */
final class SmallLu {
  private SmallLu() {}

  /** The factors of a matrix, reusable for several right-hand sides (chord-Newton). */
  static final class Factors {
    private final double[] lu;
    private final int[] perm;
    private final int n;

    private Factors(double[] lu, int[] perm, int n) {
      this.lu = lu;
      this.perm = perm;
      this.n = n;
    }

    /** x with a x = b (b is not changed). */
    double[] solve(double[] b) {
      double[] y = new double[n];
      for (int i = 0; i < n; i++) {
        double sum = b[perm[i]];
        for (int c = 0; c < i; c++) {
          sum -= lu[i * n + c] * y[c];
        }
        y[i] = sum;
      }
      double[] x = new double[n];
      for (int r = n - 1; r >= 0; r--) {
        double sum = y[r];
        for (int c = r + 1; c < n; c++) {
          sum -= lu[r * n + c] * x[c];
        }
        x[r] = sum / lu[r * n + r];
      }
      return x;
    }
  }

  /** Factors a (row-major n x n; overwritten). */
  static Factors factor(double[] a, int n, String what) {
    double scale = 0;
    for (double v : a) {
      scale = Math.max(scale, Math.abs(v));
    }
    double tiny = n * Math.ulp(1.0) * scale;
    int[] perm = new int[n];
    for (int i = 0; i < n; i++) {
      perm[i] = i;
    }
    for (int col = 0; col < n; col++) {
      int piv = col;
      for (int r = col + 1; r < n; r++) {
        if (Math.abs(a[r * n + col]) > Math.abs(a[piv * n + col])) {
          piv = r;
        }
      }
      double p = a[piv * n + col];
      if (!(Math.abs(p) > tiny)) {
        throw new SingularMatrixException(what + " (" + n + "x" + n + ") is singular at double precision: pivot "
            + p + " in column " + col);
      }
      if (piv != col) {
        for (int c = 0; c < n; c++) {
          double t = a[col * n + c];
          a[col * n + c] = a[piv * n + c];
          a[piv * n + c] = t;
        }
        int t = perm[col];
        perm[col] = perm[piv];
        perm[piv] = t;
      }
      for (int r = col + 1; r < n; r++) {
        double f = a[r * n + col] / p;
        a[r * n + col] = f;
        for (int c = col + 1; c < n; c++) {
          a[r * n + c] -= f * a[col * n + c];
        }
      }
    }
    return new Factors(a, perm, n);
  }

  /** Solves a x = b; a is overwritten. */
  static double[] solve(double[] a, double[] b, int n, String what) {
    return factor(a, n, what).solve(b);
  }
}
