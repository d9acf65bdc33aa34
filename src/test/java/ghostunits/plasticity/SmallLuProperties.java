package ghostunits.plasticity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ghostunits.numeric.SingularMatrixException;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * SmallLu, the LU with partial pivoting of the reduced Newton systems, on its own. Its callers'
 * properties see it only through Newton iterations, which reach the same root with a poor solve
 * too (slower); here the solve itself is checked.
 */
class SmallLuProperties {
  static final double EPS = Math.ulp(1.0);

  private static double[] random(Random rng, int len) {
    double[] v = new double[len];
    for (int i = 0; i < len; i++) {
      v[i] = 2 * rng.nextDouble() - 1;
    }
    return v;
  }

  /**
   * Backward stability of Gaussian elimination with partial pivoting: the computed x solves
   * (A + dA) x = b with |dA| <= gamma_3n |L| |U|, |L| <= 1 and |U| <= 2^(n-1) max|A| (the worst-case
   * growth), so |b - A x|_inf <= gamma_3n n 2^(n-1) max|A| |x|_1 (gamma_m = m eps / (1 - m eps)).
   * Loose for random matrices, but a wrong elimination, pivot swap or substitution leaves residuals
   * of the size of b. The factors solve several right-hand sides alike (chord-Newton reuses them),
   * and neither b nor (through Factors) the caller's later vectors are changed.
   */
  @Property(tries = 300)
  void solvesWithTheBackwardErrorOfPartialPivoting(@ForAll long seed, @ForAll @IntRange(min = 1, max = 20) int n) {
    Random rng = new Random(seed);
    double[] a = random(rng, n * n);
    double maxA = 0;
    for (double v : a) {
      maxA = Math.max(maxA, Math.abs(v));
    }
    SmallLu.Factors f = SmallLu.factor(a.clone(), n, "random");
    for (int rhs = 0; rhs < 3; rhs++) {
      double[] b = random(rng, n);
      double[] bCopy = b.clone();
      double[] x = f.solve(b);
      assertThat(b).as("b unchanged").isEqualTo(bCopy);
      assertThat(SmallLu.solve(a.clone(), b, n, "random")).as("one-shot solve = factors reused").isEqualTo(x);
      double x1 = 0;
      for (double v : x) {
        x1 += Math.abs(v);
      }
      double gamma = 3 * n * EPS / (1 - 3 * n * EPS);
      double bound = gamma * n * Math.pow(2, n - 1) * maxA * x1;
      for (int i = 0; i < n; i++) {
        double r = b[i];
        for (int c = 0; c < n; c++) {
          r -= a[i * n + c] * x[c];
        }
        assertThat(Math.abs(r)).as("n %d, right-hand side %d, row %d", n, rhs, i).isLessThanOrEqualTo(bound);
      }
    }
  }

  /**
   * A scaled permutation matrix with no nonzero on its diagonal (a cyclic shift): elimination
   * without row swaps meets a zero pivot at once, with them it is exact up to one division per
   * entry, x_i = b_p(i) / d.
   */
  @Property(tries = 100)
  void pivotsPastAZeroDiagonal(@ForAll long seed, @ForAll @IntRange(min = 2, max = 12) int n) {
    Random rng = new Random(seed);
    double[] a = new double[n * n];
    double[] d = new double[n];
    for (int i = 0; i < n; i++) {
      d[i] = 0.5 + rng.nextDouble();
      a[i * n + (i + 1) % n] = d[i]; // row i holds column i + 1
    }
    double[] b = random(rng, n);
    double[] x = SmallLu.solve(a, b, n, "shift");
    for (int i = 0; i < n; i++) {
      // Row i reads d_i x_{i+1} = b_i.
      double expected = b[i] / d[i];
      assertThat(Math.abs(x[(i + 1) % n] - expected)).as("n %d, x[%d]", n, (i + 1) % n)
          .isLessThanOrEqualTo(2 * EPS * Math.abs(expected));
    }
  }

  /** Two equal rows: refused, with the caller's description and where the pivot vanished. */
  @Property(tries = 50)
  void refusesASingularMatrixWithItsName(@ForAll long seed, @ForAll @IntRange(min = 2, max = 10) int n) {
    Random rng = new Random(seed);
    double[] a = random(rng, n * n);
    int copy = 1 + rng.nextInt(n - 1);
    System.arraycopy(a, 0, a, copy * n, n);
    assertThatThrownBy(() -> SmallLu.factor(a, n, "Model A weakly-clamped Jacobian, example 3"))
        .isInstanceOf(SingularMatrixException.class)
        .hasMessageContaining("Model A weakly-clamped Jacobian, example 3 (" + n + "x" + n + ") is singular")
        .hasMessageContaining("in column");
  }
}
