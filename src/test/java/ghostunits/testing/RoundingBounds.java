package ghostunits.testing;

import ghostunits.dynamics.State;
import ghostunits.model.NetworkSpec;
import ghostunits.numeric.Backend;
import ghostunits.numeric.DoubleBackend;
import ghostunits.theory.Probe;
import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * First-order rounding bounds for the dynamics of one network, from which the T0, IDENT and EQV
 * properties derive their tolerances (never tuned to the observed errors). Scale factors are
 * computed in double from the spec; they multiply the working precision's eps (2^-52 in double,
 * 10^(1-p) at p digits: one unit in the last place at 1, i.e. twice the unit roundoff of
 * round-to-nearest, which also covers apfloat's truncating operations).
 *
 * <p>The field component of a soma i of layer k is
 * -s_i + (W^k r^{k-1})_i + (B^k r^{k+1})_i - (Omega^k rho(g^k))_i (output: + beta (y - r^N)_i), of a
 * ghost -g_i + (Gamma^k r^k)_i. Rates lie in [0, 1] and in MA Omega^k = B^k, Gamma^k = W^{k+1},
 * so its terms sum in magnitude to at most |z| + rowsum_i, with rowsum_i = sum_j |W^k_ij| +
 * 2 sum_j |B^k_ij| (soma) or sum_j |W^{k+1}_ij| (ghost), plus |beta| at the output. The standard
 * bound for a sum of m products (Higham, Accuracy and Stability, 3.1) gives a rounding error of
 * at most m eps times that magnitude; a soma has m = 1 + n_{k-1} + 2 n_{k+1} terms, the sigmoid
 * adds 3 eps relative to each rate (exp, add, divide) and the Euler update s + h F two operations
 * more, so m <= 3 nMax + 6 covers every component: {@link #fieldNoise}.
 */
public final class RoundingBounds {
  private final NetworkSpec spec;
  private final int maxWidth;
  private final double drive;
  private final double feedbackRowSum;
  private final double mlpNorm;

  private RoundingBounds(NetworkSpec spec) {
    this.spec = spec;
    this.maxWidth = Arrays.stream(spec.widths()).max().orElseThrow();
    int n = spec.depth();
    double d = 0;
    double fb = 0;
    for (int k = 1; k <= n; k++) {
      double[][] w = spec.w().get(k - 1);
      double[][] b = k < n ? feedback(k) : new double[w.length][0];
      for (int i = 0; i < w.length; i++) {
        double rowB = rowSum(b[i]);
        fb = Math.max(fb, rowB);
        d = Math.max(d, rowSum(w[i]) + 2 * rowB);
      }
    }
    this.drive = d;
    this.feedbackRowSum = fb;
    Probe<Double, double[], DMatrixRMaj> p = probe();
    this.mlpNorm = p.norm(p.net.flatten(p.net.forwardState(p.x)));
  }

  public static RoundingBounds of(NetworkSpec spec) {
    return new RoundingBounds(spec);
  }

  /** One ulp at 1 of the backend's working precision. */
  public static <S, V, M> double eps(Backend<S, V, M> be) {
    return be.scalars().toDouble(be.scalars().epsilon());
  }

  /** Max over components of the terms' magnitude bound rowsum_i (ghost rows are covered: W^{k+1} rows are soma rows). */
  public double drive() {
    return drive;
  }

  /** max_i sum_j |B^k_ij| over hidden k: with L = 1/4 it bounds how B^k amplifies a rate difference. */
  public double feedbackRowSum() {
    return feedbackRowSum;
  }

  /** |z_hat|, the max-norm of the MLP state (somata and ghosts). */
  public double mlpNorm() {
    return mlpNorm;
  }

  public int maxWidth() {
    return maxWidth;
  }

  /** Operations per field component (see the class comment): 3 nMax + 6. */
  public int operations() {
    return 3 * maxWidth + 6;
  }

  /**
   * Bound on the rounding error of one computed field component (and of one Euler update) at a
   * state of max-norm at most {@code stateNorm}, in units of eps: (3 nMax + 6) (|z| + rowsum + |beta|).
   */
  public double fieldNoise(double stateNorm, double beta) {
    return operations() * (stateNorm + drive + Math.abs(beta));
  }

  /**
   * kappa = max_i sum_j |(J^{-1})_ij| at the given state: the first-order amplification from a
   * field error to a state error (|z - z*| <= kappa |F(z)|, F(z*) = 0), and the limiting accuracy
   * of any method that stops where the computed field is at rounding level (Newton: Higham, 25.2).
   * At the MLP state in MA it is also the amplification of the forward pass's own rounding:
   * J = -I + N with N nilpotent, and the forward pass is the substitution I - N.
   */
  public double kappa(State<double[]> at, double beta) {
    Probe<Double, double[], DMatrixRMaj> p = probe();
    DoubleBackend be = DoubleBackend.INSTANCE;
    DMatrixRMaj j = p.net.jacobian(at, p.stimulus(beta));
    int n = j.numRows;
    double[] rowSums = new double[n];
    for (int c = 0; c < n; c++) {
      int col = c;
      double[] x = be.solve(j, be.vector(n, i -> i == col ? 1.0 : 0.0));
      for (int i = 0; i < n; i++) {
        rowSums[i] += Math.abs(x[i]);
      }
    }
    return Arrays.stream(rowSums).max().orElseThrow();
  }

  /** kappa at the MLP state, beta = 0 (T0's equilibrium). */
  public double kappaAtMlp() {
    Probe<Double, double[], DMatrixRMaj> p = probe();
    return kappa(p.net.forwardState(p.x), 0.0);
  }

  /** kappa at the Newton equilibrium of this beta, computed in double. */
  public double kappaAtEquilibrium(double beta) {
    Probe<Double, double[], DMatrixRMaj> p = probe();
    return kappa(p.equilibrium(beta).state(), beta);
  }

  /**
   * K = max_i sum_j (A^0 + A^1 + .. + A^{2N-2})_ij, with A the nonnegative matrix of the h = 1,
   * beta = 0 Euler map's derivative blocks with every slope rho' replaced by its bound L = 1/4:
   * L |W^k| (s^k from s^{k-1}), L |B^k| (s^k from s^{k+1}), L |Omega^k| (s^k from g^k),
   * L |Gamma^k| (g^k from s^k); the diagonal blocks -I + I vanish. The derivative of that map at
   * ANY state is bounded entrywise by A, so a product of j of them by A^j: K bounds, to first
   * order, how the roundings of the last 2N - 1 steps of a run reach its final state (T0.md step
   * 20, with A in place of the scalar Lipschitz constant), wherever the run went.
   */
  public double chainBound() {
    int n = spec.depth();
    int[] w = spec.widths();
    int[] off = new int[2 * n];
    int at = 0;
    for (int k = 1; k <= n; k++) {
      off[k - 1] = at;
      at += w[k];
    }
    for (int k = 1; k < n; k++) {
      off[n + k - 1] = at;
      at += w[k + 1];
    }
    DMatrixRMaj a = new DMatrixRMaj(at, at);
    double lip = 0.25;
    for (int k = 1; k <= n; k++) {
      if (k >= 2) {
        put(a, off[k - 1], off[k - 2], spec.w().get(k - 1), lip);
      }
      if (k < n) {
        put(a, off[k - 1], off[k], feedback(k), lip);
        put(a, off[k - 1], off[n + k - 1], feedback(k), lip);
        put(a, off[n + k - 1], off[k - 1], spec.w().get(k), lip);
      }
    }
    DMatrixRMaj sum = CommonOps_DDRM.identity(at);
    DMatrixRMaj power = CommonOps_DDRM.identity(at);
    for (int j = 1; j <= 2 * n - 2; j++) {
      DMatrixRMaj next = new DMatrixRMaj(at, at);
      CommonOps_DDRM.mult(power, a, next);
      power = next;
      CommonOps_DDRM.addEquals(sum, power);
    }
    double k = 0;
    for (int i = 0; i < at; i++) {
      double row = 0;
      for (int j = 0; j < at; j++) {
        row += sum.get(i, j);
      }
      k = Math.max(k, row);
    }
    return k;
  }

  private static void put(DMatrixRMaj a, int row0, int col0, double[][] m, double lip) {
    for (int i = 0; i < m.length; i++) {
      for (int j = 0; j < m[i].length; j++) {
        a.set(row0 + i, col0 + j, lip * Math.abs(m[i][j]));
      }
    }
  }

  private Probe<Double, double[], DMatrixRMaj> probe() {
    return new Probe<>(DoubleBackend.INSTANCE, spec);
  }

  private double[][] feedback(int k) {
    if (spec.b() != null) {
      return spec.b().get(k - 1);
    }
    double[][] w = spec.w().get(k);
    double[][] t = new double[w[0].length][w.length];
    for (int i = 0; i < w.length; i++) {
      for (int j = 0; j < w[0].length; j++) {
        t[j][i] = w[i][j];
      }
    }
    return t;
  }

  private static double rowSum(double[] row) {
    double s = 0;
    for (double v : row) {
      s += Math.abs(v);
    }
    return s;
  }
}
