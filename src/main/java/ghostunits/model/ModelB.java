package ghostunits.model;

import ghostunits.numeric.Backend;
import ghostunits.numeric.ShapeMismatchException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A Model B network and one example, in doubles, independent of any backend (paper section 4): the
 * pyramidal part (widths, W^k, FA's B^k, x, y) as a {@link NetworkSpec}, and m_k ghost units in
 * each hidden layer with Gamma^k (m_k x n_k; fixed in MB) and the starting Omega^k (n_k x m_k),
 * before the fast rule (eq. 15) fits Omega^k to the presented example. Doubles convert exactly
 * into apfloat, so double and apfloat runs see the very same network.
 */
public record ModelB(NetworkSpec base, int[] ghosts, List<double[][]> gamma, List<double[][]> omega0) {

  public ModelB {
    int hidden = base.depth() - 1;
    if (ghosts.length != hidden || gamma.size() != hidden || omega0.size() != hidden) {
      throw new ShapeMismatchException("Model B over " + base + " needs " + hidden + " ghost counts, Gammas and"
          + " Omegas (one per hidden layer), got " + ghosts.length + ", " + gamma.size() + ", " + omega0.size());
    }
    for (int k = 1; k <= hidden; k++) {
      if (ghosts[k - 1] < 1) {
        throw new ShapeMismatchException("hidden layer " + k + " needs m_k >= 1 ghost units, got " + ghosts[k - 1]);
      }
    }
    ghosts = ghosts.clone();
  }

  /**
   * Weights U(-a, a) (W, FA's B, Gamma) as in {@link NetworkSpec#random}; Omega^k starts
   * U(-omegaInit, omegaInit) (0: at zero, so that the fast rule's least-change fit is the
   * minimum-norm Omega^k).
   */
  public static ModelB random(
      Random rng, Feedback feedback, int[] widths, int[] ghosts, double a, double omegaInit) {
    return around(NetworkSpec.random(rng, feedback, widths, a), rng, ghosts, a, omegaInit);
  }

  /** Random ghosts (Gamma U(-a, a), Omega U(-omegaInit, omegaInit)) on a given pyramidal network. */
  public static ModelB around(NetworkSpec base, Random rng, int[] ghosts, double a, double omegaInit) {
    int hidden = base.depth() - 1;
    if (ghosts.length != hidden) {
      throw new ShapeMismatchException("ghost counts " + Arrays.toString(ghosts) + " do not match the "
          + hidden + " hidden layers of " + base);
    }
    List<double[][]> gamma = new ArrayList<>();
    List<double[][]> omega = new ArrayList<>();
    for (int k = 1; k <= hidden; k++) {
      gamma.add(NetworkSpec.uniform(rng, ghosts[k - 1], base.widths()[k], a));
      omega.add(NetworkSpec.uniform(rng, base.widths()[k], ghosts[k - 1], omegaInit));
    }
    return new ModelB(base, ghosts, gamma, omega);
  }

  /**
   * An MB network whose ghost path equals Model A's: ghost j of layer k shadows pyramidal unit
   * pi(j) of layer k+1 for a random permutation pi (Gamma^k = P W^{k+1}, Omega^k = B^k P^T), and
   * {@code silent} extra ghosts with random input weights U(-1, 1) and zero output weights. Then
   * Omega^k G^k Gamma^k = B^k D^{k+1} W^{k+1} at the MLP state: the mismatch M^k of T2c is zero
   * although Gamma^k is not W^{k+1} entry by entry.
   */
  public static ModelB maGhostPath(NetworkSpec base, Random rng, int silent) {
    int n = base.depth();
    int[] ghosts = new int[n - 1];
    List<double[][]> gamma = new ArrayList<>();
    List<double[][]> omega = new ArrayList<>();
    for (int k = 1; k < n; k++) {
      int nk = base.widths()[k];
      int next = base.widths()[k + 1];
      int m = next + silent;
      ghosts[k - 1] = m;
      int[] perm = permutation(rng, next);
      double[][] wNext = base.w().get(k);
      double[][] bk = feedback(base, k);
      double[][] g = new double[m][];
      double[][] o = new double[nk][m];
      for (int j = 0; j < next; j++) {
        g[j] = wNext[perm[j]].clone();
        for (int i = 0; i < nk; i++) {
          o[i][j] = bk[i][perm[j]];
        }
      }
      for (int j = next; j < m; j++) {
        g[j] = NetworkSpec.uniform(rng, 1, nk, 1.0)[0];
      }
      gamma.add(g);
      omega.add(o);
    }
    return new ModelB(base, ghosts, gamma, omega);
  }

  /** B^k in doubles: (W^{k+1})^T under TF, the fixed matrix under FA. */
  private static double[][] feedback(NetworkSpec base, int k) {
    List<double[][]> b = base.b();
    if (b != null) {
      return b.get(k - 1);
    }
    double[][] wNext = base.w().get(k);
    double[][] t = new double[wNext[0].length][wNext.length];
    for (int i = 0; i < wNext.length; i++) {
      for (int j = 0; j < wNext[0].length; j++) {
        t[j][i] = wNext[i][j];
      }
    }
    return t;
  }

  private static int[] permutation(Random rng, int n) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  public int depth() {
    return base.depth();
  }

  /** The network in the given backend, with Omega^k at its starting value. */
  public <S, V, M> Weights<M> weights(Backend<S, V, M> be) {
    Weights<M> pyramidal = base.weights(be);
    Layers<M> g = Layers.build(1, depth() - 1, k -> NetworkSpec.matrix(be, gamma.get(k - 1)));
    Layers<M> o = Layers.build(1, depth() - 1, k -> NetworkSpec.matrix(be, omega0.get(k - 1)));
    return pyramidal.withGhosts(be, g, o);
  }

  public <S, V, M> V x(Backend<S, V, M> be) {
    return base.x(be);
  }

  public <S, V, M> V y(Backend<S, V, M> be) {
    return base.y(be);
  }

  @Override
  public String toString() {
    return "ModelB[" + base.feedback() + " " + Arrays.toString(base.widths()) + ", ghosts "
        + Arrays.toString(ghosts) + "]";
  }
}
