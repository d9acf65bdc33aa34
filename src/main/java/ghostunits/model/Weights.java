package ghostunits.model;

import ghostunits.numeric.Backend;
import ghostunits.numeric.ShapeMismatchException;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The weights of a ghost-unit network with N = depth() layers above the input:
 * W^k (n_k x n_{k-1}, k = 1..N), B^k (n_k x n_{k+1}), Gamma^k (m_k x n_k), Omega^k (n_k x m_k),
 * k = 1..N-1. Immutable; shapes are checked on construction, naming the matrix at fault.
 */
public final class Weights<M> {
  private final Feedback feedback;
  private final Layers<M> w;
  private final Layers<M> b;
  private final Layers<M> gamma;
  private final Layers<M> omega;

  private Weights(Feedback feedback, Layers<M> w, Layers<M> b, Layers<M> gamma, Layers<M> omega) {
    this.feedback = feedback;
    this.w = w;
    this.b = b;
    this.gamma = gamma;
    this.omega = omega;
  }

  /** Any weights (Model B, or MA with ghosts not yet learned); shapes are checked. */
  public static <S, V, M> Weights<M> of(
      Backend<S, V, M> be, Feedback feedback, Layers<M> w, Layers<M> b, Layers<M> gamma, Layers<M> omega) {
    int n = w.count();
    if (n < 1 || w.first() != 1) {
      throw new ShapeMismatchException("W must be given for layers 1..N with N >= 1, got " + n + " matrices");
    }
    for (int k = 2; k <= n; k++) {
      expectCols(be, w.at(k), "W^" + k, be.rows(w.at(k - 1)), "layer " + (k - 1) + " (rows of W^" + (k - 1) + ")");
    }
    expectLayers(b, n - 1, "B");
    expectLayers(gamma, n - 1, "Gamma");
    expectLayers(omega, n - 1, "Omega");
    for (int k = 1; k < n; k++) {
      int nk = be.rows(w.at(k));
      int nk1 = be.rows(w.at(k + 1));
      expectRows(be, b.at(k), "B^" + k, nk, "layer " + k);
      expectCols(be, b.at(k), "B^" + k, nk1, "layer " + (k + 1));
      expectCols(be, gamma.at(k), "Gamma^" + k, nk, "layer " + k);
      expectRows(be, omega.at(k), "Omega^" + k, nk, "layer " + k);
      expectCols(be, omega.at(k), "Omega^" + k, be.rows(gamma.at(k)), "the ghosts of layer " + k + " (rows of Gamma^" + k + ")");
    }
    return new Weights<>(feedback, w, b, gamma, omega);
  }

  /**
   * Model A with converged ghosts: Gamma^k = W^{k+1}, Omega^k = B^k. With TF, pass b = null and
   * B^k = (W^{k+1})^T; with FA, pass the fixed B.
   */
  public static <S, V, M> Weights<M> convergedModelA(
      Backend<S, V, M> be, Feedback feedback, Layers<M> w, @Nullable Layers<M> b) {
    Layers<M> feedbackWeights = feedbackFor(be, feedback, w, b);
    Layers<M> gamma = Layers.build(1, w.count() - 1, k -> w.at(k + 1));
    return of(be, feedback, w, feedbackWeights, gamma, feedbackWeights);
  }

  private static <S, V, M> Layers<M> feedbackFor(
      Backend<S, V, M> be, Feedback feedback, Layers<M> w, @Nullable Layers<M> b) {
    if (feedback == Feedback.TF) {
      if (b != null) {
        throw new IllegalArgumentException("TF feedback is W^T: do not pass B");
      }
      return Layers.build(1, w.count() - 1, k -> be.transpose(w.at(k + 1)));
    }
    if (b == null) {
      throw new IllegalArgumentException("FA feedback needs its fixed B");
    }
    return b;
  }

  /**
   * The same network with new feedforward weights; under TF, B follows (B^k = (W^{k+1})^T).
   * Ghost weights are kept as they are.
   */
  public <S, V> Weights<M> withW(Backend<S, V, M> be, Layers<M> newW) {
    Layers<M> newB = feedback == Feedback.TF ? feedbackFor(be, feedback, newW, null) : b;
    return of(be, feedback, newW, newB, gamma, omega);
  }

  /** The same network with new ghost weights. */
  public <S, V> Weights<M> withGhosts(Backend<S, V, M> be, Layers<M> newGamma, Layers<M> newOmega) {
    return of(be, feedback, w, b, newGamma, newOmega);
  }

  private static void expectLayers(Layers<?> l, int count, String name) {
    if (l.count() != count || (count > 0 && l.first() != 1)) {
      throw new ShapeMismatchException(name + " must be given for layers 1.." + count + ", got " + l.count()
          + " matrices" + (l.count() > 0 ? " for layers " + l.first() + ".." + l.last() : ""));
    }
  }

  private static <S, V, M> void expectRows(Backend<S, V, M> be, M m, String name, int n, String what) {
    if (be.rows(m) != n) {
      throw new ShapeMismatchException(name + " is " + be.rows(m) + "x" + be.cols(m)
          + " but " + what + " has " + n + " units: it needs " + n + " rows");
    }
  }

  private static <S, V, M> void expectCols(Backend<S, V, M> be, M m, String name, int n, String what) {
    if (be.cols(m) != n) {
      throw new ShapeMismatchException(name + " is " + be.rows(m) + "x" + be.cols(m)
          + " but " + what + " has " + n + " units: it needs " + n + " columns");
    }
  }

  /** N: the number of layers above the input. */
  public int depth() {
    return w.count();
  }

  public Feedback feedback() {
    return feedback;
  }

  public Layers<M> w() {
    return w;
  }

  public Layers<M> b() {
    return b;
  }

  public Layers<M> gamma() {
    return gamma;
  }

  public Layers<M> omega() {
    return omega;
  }
}
