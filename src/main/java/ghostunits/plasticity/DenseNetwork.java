package ghostunits.plasticity;

import ghostunits.model.Feedback;
import ghostunits.model.Layers;
import ghostunits.model.Weights;
import ghostunits.numeric.Backend;
import ghostunits.numeric.ScalarField;
import ghostunits.numeric.ShapeMismatchException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The weights being trained, in double on EJML: W^k (k = 1..N), the fixed FA feedback B^k, and
 * the ghosts' Gamma^k and Omega^k. Mutable (training changes it in place).
 *
 * <p>The ghosts are either their own matrices (Model B: Gamma fixed, Omega fitted per example;
 * Model A with learned ghosts: both learned by eq. 4-5) or, for Model A with converged ghosts,
 * W^{k+1} and B^k themselves (the idealisation of a ghost learning that has caught up after every
 * update; see the configs). Under TF, B^k = (W^{k+1})^T is re-made after every update of W^{k+1}.
 */
public final class DenseNetwork {
  private final boolean modelA;
  /** Gamma^k is W^{k+1} and Omega^k is B^k (the same objects): Model A's converged ghosts. */
  private final boolean convergedGhosts;
  private final Feedback feedback;
  private final int[] widths;
  private final int[] ghosts;
  private final DMatrixRMaj[] w;
  private final DMatrixRMaj[] b;
  private final DMatrixRMaj[] gamma;
  private final DMatrixRMaj[] omega;

  private DenseNetwork(boolean modelA, Feedback feedback, int[] widths, int[] ghosts, DMatrixRMaj[] w,
      DMatrixRMaj[] b, DMatrixRMaj[] gamma, DMatrixRMaj[] omega) {
    this.modelA = modelA;
    this.convergedGhosts = modelA && gamma.length == 0 && omega.length == 0;
    this.feedback = feedback;
    this.widths = widths.clone();
    this.ghosts = ghosts.clone();
    this.w = w;
    this.b = b;
    this.gamma = gamma;
    this.omega = omega;
    check();
  }

  /**
   * Every weight U(-a, a), drawn in a fixed order from {@code rng}: W^1..W^N, then (FA) B^1..B^{N-1},
   * then (ghosts with their own matrices: MB, or MA with learned ghosts) Gamma^1.., Omega^1.. .
   * The same seed gives the same network.
   */
  public static DenseNetwork initial(TrainConfig c, Random rng) {
    int n = c.depth();
    int[] widths = c.widths();
    DMatrixRMaj[] w = new DMatrixRMaj[n];
    for (int k = 1; k <= n; k++) {
      w[k - 1] = uniform(rng, widths[k], widths[k - 1], c.init());
    }
    DMatrixRMaj[] b = new DMatrixRMaj[n - 1];
    for (int k = 1; k < n; k++) {
      b[k - 1] = c.feedback() == Feedback.FA
          ? uniform(rng, widths[k], widths[k + 1], c.init())
          : CommonOps_DDRM.transpose(w[k], null);
    }
    boolean ownGhosts = !c.convergedGhosts();
    DMatrixRMaj[] gamma = new DMatrixRMaj[ownGhosts ? n - 1 : 0];
    DMatrixRMaj[] omega = new DMatrixRMaj[ownGhosts ? n - 1 : 0];
    if (ownGhosts) {
      for (int k = 1; k < n; k++) {
        gamma[k - 1] = uniform(rng, c.ghosts()[k - 1], widths[k], c.init());
      }
      for (int k = 1; k < n; k++) {
        omega[k - 1] = uniform(rng, widths[k], c.ghosts()[k - 1], c.init());
      }
    }
    return new DenseNetwork(c.isModelA(), c.feedback(), widths, c.ghosts(), w, b, gamma, omega);
  }

  /**
   * A network from stored matrices (checkpoints); shapes are checked. A Model A network with no
   * Gamma and Omega has converged ghosts.
   */
  public static DenseNetwork of(boolean modelA, Feedback feedback, int[] widths, int[] ghosts, DMatrixRMaj[] w,
      DMatrixRMaj[] fixedB, DMatrixRMaj[] gamma, DMatrixRMaj[] omega) {
    int n = widths.length - 1;
    DMatrixRMaj[] b = new DMatrixRMaj[n - 1];
    for (int k = 1; k < n; k++) {
      if (feedback == Feedback.FA) {
        if (fixedB.length != n - 1) {
          throw new ShapeMismatchException("FA network needs " + (n - 1) + " feedback matrices, got " + fixedB.length);
        }
        b[k - 1] = fixedB[k - 1].copy();
      } else {
        b[k - 1] = CommonOps_DDRM.transpose(w[k], null);
      }
    }
    DMatrixRMaj[] wc = new DMatrixRMaj[n];
    for (int k = 0; k < n; k++) {
      wc[k] = w[k].copy();
    }
    return new DenseNetwork(modelA, feedback, widths, ghosts, wc, b, copyAll(gamma), copyAll(omega));
  }

  private static DMatrixRMaj[] copyAll(DMatrixRMaj[] ms) {
    DMatrixRMaj[] out = new DMatrixRMaj[ms.length];
    for (int i = 0; i < ms.length; i++) {
      out[i] = ms[i].copy();
    }
    return out;
  }

  private static DMatrixRMaj uniform(Random rng, int rows, int cols, double a) {
    DMatrixRMaj m = new DMatrixRMaj(rows, cols);
    for (int i = 0; i < m.data.length; i++) {
      m.data[i] = (2 * rng.nextDouble() - 1) * a;
    }
    return m;
  }

  private void check() {
    int n = depth();
    if (w.length != n || b.length != n - 1) {
      throw new ShapeMismatchException("network with widths " + Arrays.toString(widths) + " got " + w.length
          + " W and " + b.length + " B matrices");
    }
    for (int k = 1; k <= n; k++) {
      expect(w(k), widths[k], widths[k - 1], "W^" + k);
    }
    for (int k = 1; k < n; k++) {
      expect(b(k), widths[k], widths[k + 1], "B^" + k);
    }
    if (!convergedGhosts) {
      if (gamma.length != n - 1 || omega.length != n - 1) {
        throw new ShapeMismatchException((modelA ? "Model A network with learned ghosts" : "Model B network")
            + " needs " + (n - 1) + " Gamma and Omega matrices, got " + gamma.length + " and " + omega.length);
      }
      for (int k = 1; k < n; k++) {
        expect(gamma(k), ghosts[k - 1], widths[k], "Gamma^" + k);
        expect(omega(k), widths[k], ghosts[k - 1], "Omega^" + k);
      }
    }
  }

  private static void expect(DMatrixRMaj m, int rows, int cols, String name) {
    if (m.numRows != rows || m.numCols != cols) {
      throw new ShapeMismatchException(name + " is " + m.numRows + "x" + m.numCols + ", expected " + rows + "x" + cols);
    }
  }

  public DenseNetwork copy() {
    DMatrixRMaj[] fixedB = feedback == Feedback.FA ? b : new DMatrixRMaj[0];
    return of(modelA, feedback, widths, ghosts, w, fixedB, gamma, omega);
  }

  public boolean modelA() {
    return modelA;
  }

  /** Whether Gamma^k and Omega^k are W^{k+1} and B^k themselves (Model A, converged ghosts). */
  public boolean convergedGhosts() {
    return convergedGhosts;
  }

  public Feedback feedback() {
    return feedback;
  }

  public int depth() {
    return widths.length - 1;
  }

  public int width(int k) {
    return widths[k];
  }

  public int[] widths() {
    return widths.clone();
  }

  public int[] ghostCounts() {
    return ghosts.clone();
  }

  public DMatrixRMaj w(int k) {
    return w[k - 1];
  }

  public DMatrixRMaj b(int k) {
    return b[k - 1];
  }

  /** Converged ghosts: W^{k+1} itself. */
  public DMatrixRMaj gamma(int k) {
    return convergedGhosts ? w(k + 1) : gamma[k - 1];
  }

  /** Converged ghosts: B^k itself. */
  public DMatrixRMaj omega(int k) {
    return convergedGhosts ? b(k) : omega[k - 1];
  }

  /** W^k += dW; under TF, B^{k-1} follows. */
  public void addToW(int k, DMatrixRMaj dw) {
    CommonOps_DDRM.addEquals(w(k), dw);
    if (feedback == Feedback.TF && k >= 2) {
      CommonOps_DDRM.transpose(w(k), b(k - 1));
    }
  }

  /** W^k += c u v^T (u: n_k x b, v: n_{k-1} x b, summed over the b columns); under TF, B^{k-1} follows. */
  public void addOuterToW(int k, double c, DMatrixRMaj u, DMatrixRMaj v) {
    CommonOps_DDRM.multAddTransB(c, u, v, w(k));
    if (feedback == Feedback.TF && k >= 2) {
      CommonOps_DDRM.transpose(w(k), b(k - 1));
    }
  }

  /** Gamma^k += dGamma and Omega^k += dOmega (learned ghosts). */
  public void addToGhosts(int k, DMatrixRMaj dGamma, DMatrixRMaj dOmega) {
    if (convergedGhosts) {
      throw new IllegalStateException("converged ghosts are W and B themselves; they are not learned");
    }
    expect(dGamma, ghosts[k - 1], widths[k], "dGamma^" + k);
    expect(dOmega, widths[k], ghosts[k - 1], "dOmega^" + k);
    CommonOps_DDRM.addEquals(gamma[k - 1], dGamma);
    CommonOps_DDRM.addEquals(omega[k - 1], dOmega);
  }

  /** Model B: replaces Omega^k (the fast fit). */
  public void setOmega(int k, DMatrixRMaj m) {
    if (convergedGhosts) {
      throw new IllegalStateException("Model A's Omega is B itself (converged ghosts); it is not set");
    }
    expect(m, widths[k], ghosts[k - 1], "Omega^" + k);
    omega[k - 1] = m;
  }

  /** The same weights in any backend, for the generic reference code (doubles convert exactly). */
  public <S, V, M> Weights<M> toWeights(Backend<S, V, M> be) {
    int n = depth();
    Layers<M> wl = Layers.build(1, n, k -> matrix(be, w(k)));
    Layers<M> bl = Layers.build(1, n - 1, k -> matrix(be, b(k)));
    Layers<M> gl = Layers.build(1, n - 1, k -> matrix(be, gamma(k)));
    Layers<M> ol = Layers.build(1, n - 1, k -> matrix(be, omega(k)));
    return Weights.of(be, feedback, wl, bl, gl, ol);
  }

  static <S, V, M> M matrix(Backend<S, V, M> be, DMatrixRMaj m) {
    ScalarField<S> f = be.scalars();
    return be.matrix(m.numRows, m.numCols, (i, j) -> f.fromDouble(m.unsafe_get(i, j)));
  }

  /**
   * SHA-256, in hex, of what defines the network: model, feedback, whether the ghosts are converged,
   * the widths, the ghost counts and the bits of every stored weight (W^k; the fixed B^k under FA;
   * Gamma^k and Omega^k where the ghosts are their own). Equal bits give equal fingerprints, and a
   * changed bit a different one (barring a SHA-256 collision). A checkpoint records the fingerprint
   * of its run's initial weights, so that it can be checked against a config and seed later without
   * storing those weights.
   */
  public String fingerprint() {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must provide SHA-256", e);
    }
    sha.update((modelA + " " + feedback + " " + convergedGhosts + " " + Arrays.toString(widths) + " "
        + Arrays.toString(ghosts)).getBytes(StandardCharsets.UTF_8));
    for (int k = 1; k <= depth(); k++) {
      digest(sha, w(k));
    }
    for (int k = 1; k < depth(); k++) {
      if (feedback == Feedback.FA) {
        digest(sha, b(k));
      }
      if (!convergedGhosts) {
        digest(sha, gamma(k));
        digest(sha, omega(k));
      }
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  /** The shape, then every entry's bits (the shape keeps a 2 x 3 and a 3 x 2 of equal entries apart). */
  private static void digest(MessageDigest sha, DMatrixRMaj m) {
    ByteBuffer bytes = ByteBuffer.allocate(8 + 8 * m.getNumElements());
    bytes.putInt(m.numRows).putInt(m.numCols);
    for (int i = 0; i < m.getNumElements(); i++) {
      bytes.putLong(Double.doubleToRawLongBits(m.data[i]));
    }
    sha.update(bytes.array());
  }

  /** Bitwise equality of every weight (reproducibility checks). */
  public boolean sameBits(DenseNetwork o) {
    if (!Arrays.equals(widths, o.widths) || modelA != o.modelA
        || convergedGhosts != o.convergedGhosts || feedback != o.feedback) {
      return false;
    }
    for (int k = 1; k <= depth(); k++) {
      if (!Arrays.equals(w(k).data, o.w(k).data)) {
        return false;
      }
    }
    for (int k = 1; k < depth(); k++) {
      if (!Arrays.equals(b(k).data, o.b(k).data) || !Arrays.equals(gamma(k).data, o.gamma(k).data)
          || !Arrays.equals(omega(k).data, o.omega(k).data)) {
        return false;
      }
    }
    return true;
  }
}
