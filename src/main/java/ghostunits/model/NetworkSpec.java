package ghostunits.model;

import ghostunits.numeric.Backend;
import ghostunits.numeric.ScalarField;
import ghostunits.numeric.ShapeMismatchException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A network and one example, in doubles, independent of any backend: the layer widths, W^k, the
 * FA feedback B^k (null under TF), x and y. {@link #weights} makes the Model A network with
 * converged ghosts in any backend; doubles convert exactly into apfloat, so the double and the
 * apfloat run see the very same network.
 */
public record NetworkSpec(
    Feedback feedback, int[] widths, List<double[][]> w, @Nullable List<double[][]> b, double[] x, double[] y) {

  /** Weights U(-a, a), input U(0, 1), target U(0, 1); B U(-a, a) under FA. */
  public static NetworkSpec random(Random rng, Feedback feedback, int[] widths, double a) {
    int n = widths.length - 1;
    if (n < 1) {
      throw new ShapeMismatchException("a network needs at least an input and an output layer, got widths "
          + Arrays.toString(widths));
    }
    List<double[][]> w = new ArrayList<>();
    for (int k = 1; k <= n; k++) {
      w.add(uniform(rng, widths[k], widths[k - 1], a));
    }
    List<double[][]> b = null;
    if (feedback == Feedback.FA) {
      b = new ArrayList<>();
      for (int k = 1; k < n; k++) {
        b.add(uniform(rng, widths[k], widths[k + 1], a));
      }
    }
    double[] x = new double[widths[0]];
    for (int i = 0; i < x.length; i++) {
      x[i] = rng.nextDouble();
    }
    double[] y = new double[widths[n]];
    for (int i = 0; i < y.length; i++) {
      y[i] = rng.nextDouble();
    }
    return new NetworkSpec(feedback, widths.clone(), w, b, x, y);
  }

  /** A rows x cols matrix with entries U(-a, a), drawn row by row from rng. */
  static double[][] uniform(Random rng, int rows, int cols, double a) {
    double[][] m = new double[rows][cols];
    for (double[] row : m) {
      for (int j = 0; j < cols; j++) {
        row[j] = (2 * rng.nextDouble() - 1) * a;
      }
    }
    return m;
  }

  public int depth() {
    return widths.length - 1;
  }

  public static <S, V, M> M matrix(Backend<S, V, M> be, double[][] m) {
    ScalarField<S> f = be.scalars();
    int cols = m.length == 0 ? 0 : m[0].length;
    return be.matrix(m.length, cols, (i, j) -> f.fromDouble(m[i][j]));
  }

  public static <S, V, M> V vector(Backend<S, V, M> be, double[] v) {
    ScalarField<S> f = be.scalars();
    return be.vector(v.length, i -> f.fromDouble(v[i]));
  }

  /** Model A with converged ghosts (Gamma^k = W^{k+1}, Omega^k = B^k) in the given backend. */
  public <S, V, M> Weights<M> weights(Backend<S, V, M> be) {
    Layers<M> wl = Layers.build(1, depth(), k -> matrix(be, w.get(k - 1)));
    List<double[][]> fb = b;
    Layers<M> bl = fb == null ? null : Layers.build(1, depth() - 1, k -> matrix(be, fb.get(k - 1)));
    return Weights.convergedModelA(be, feedback, wl, bl);
  }

  public <S, V, M> V x(Backend<S, V, M> be) {
    return vector(be, x);
  }

  public <S, V, M> V y(Backend<S, V, M> be) {
    return vector(be, y);
  }

  @Override
  public String toString() {
    return "NetworkSpec[" + feedback + " " + Arrays.toString(widths) + "]";
  }
}
