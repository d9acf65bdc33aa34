package ghostunits.plasticity;

import ghostunits.data.Mnist;
import ghostunits.plasticity.BatchDynamics.BatchState;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;

/**
 * The training steps of MA, MA' and MB (TF or FA): for each mini-batch, the free phase, the
 * weakly-clamped phase, and the rules at the states they end in (mean over the batch):
 *
 * <ul>
 *   <li>MA, converged ghosts; MB: eq. 6 at the weakly-clamped state (MB first fits Omega);
 *   <li>MA, learned ghosts: eq. 4-5 at the free state, then eq. 6 at the weakly-clamped state
 *       (the reference: {@link ModelAGhostLearning#step});
 *   <li>MA': eq. 4, 5 and 6 at the end of both phases, every increment clipped to
 *       [-{@link ModelAPrime#PAPER_CLIP}, {@link ModelAPrime#PAPER_CLIP}] (the reference:
 *       {@link ModelAPrime#step}).
 * </ul>
 *
 * In each phase every rule is evaluated at the state and the weights the phase started with, then
 * all are applied; the weakly-clamped phase starts from the free state with the weights the free
 * phase left. How each phase reaches its equilibrium is the {@link Path}.
 */
public final class Trainer {
  /** How a phase reaches its equilibrium. */
  public enum Path {
    /** The equilibrium directly (forward pass, reduced Newton). */
    FAST,
    /** The Euler map for the paper's step counts, from rest. */
    FAITHFUL
  }

  private final TrainConfig config;
  private final Path path;
  private final double[] factors;
  private final double h;
  /** Fast-path solves the dynamics settled since the caller last cleared it. */
  private final EulerFallbacks fallbacks = new EulerFallbacks();

  public Trainer(TrainConfig config, Path path) {
    this.config = config;
    this.path = path;
    this.factors = new double[config.depth()];
    for (int k = 1; k <= config.depth(); k++) {
      factors[k - 1] = config.weightFactor(k);
    }
    this.h = config.timeStep().h();
  }

  public TrainConfig config() {
    return config;
  }

  /**
   * The fast path's solves in which Newton failed and the Euler dynamics settled the phase, since
   * the caller last cleared the tally (the train command reports and clears it each epoch).
   */
  public EulerFallbacks fallbacks() {
    return fallbacks;
  }

  /** One mini-batch: x (n_0 x b), one-hot y (n_N x b). Changes {@code net} in place. */
  public void step(DenseNetwork net, DMatrixRMaj x, DMatrixRMaj y) {
    if (config.learnsGhosts()) {
      stepLearningGhosts(net, x, y);
      return;
    }
    DMatrixRMaj a = BatchDynamics.drive(net, x);
    BatchState nudged = nudgedState(net, x, y, a);
    BatchDynamics.applyWeightUpdate(net, x, a, nudged, factors);
  }

  /**
   * An experiment, not a rule of the paper: eq. 6's step on the output layer, taken as {@link #step}
   * takes it (Model B first fits its ghosts), and on each hidden layer instead the step plain
   * backprop of the paper's cost would take at the same weights and rates, its error sent down as
   * the row's feedback (TF: (W^{k+1})^T; FA: the fixed B^k). What a row learns when only its hidden
   * layers' departure from backprop (Model B's bias, Theorem 2(c)) is taken away. Changes
   * {@code net} in place.
   */
  public void stepWithBackpropHiddenSteps(DenseNetwork net, DMatrixRMaj x, DMatrixRMaj y) {
    // Backprop's steps read W only (not the ghosts that the fit changes), so they are taken first.
    DMatrixRMaj[] backprop = Backprop.increments(net, x, y, config.etaW(), Backprop.Cost.MSE,
        net.feedback());
    DMatrixRMaj[] dw = updates(net, x, y);
    for (int k = 1; k < dw.length; k++) {
      dw[k - 1] = backprop[k - 1];
    }
    for (int k = 1; k <= dw.length; k++) {
      net.addToW(k, dw[k - 1]);
    }
  }

  /** MA with learned ghosts and MA' (one hidden layer): the free phase, then the weakly-clamped one. */
  private void stepLearningGhosts(DenseNetwork net, DMatrixRMaj x, DMatrixRMaj y) {
    learningNudgedPhase(net, x, y, learningFreePhase(net, x, y));
  }

  /**
   * The free phase of a ghost-learning step: its equilibrium (from the MLP state), then its rules
   * applied to {@code net} (eq. 4-5; MA' also eq. 6, all clipped). Returns the free state.
   */
  BatchState learningFreePhase(DenseNetwork net, DMatrixRMaj x, DMatrixRMaj y) {
    boolean prime = config.isModelAPrime();
    DMatrixRMaj a = BatchDynamics.drive(net, x);
    // Both paths start the free phase at the MLP state, as the generic references do.
    BatchState mlp = BatchDynamics.forward(net, a);
    BatchState free = path == Path.FAST
        ? BatchDynamics.settleOneHiddenLayer(net, a, y, 0.0, mlp, h, fallbacks)
        : BatchDynamics.euler(net, a, y, 0.0, mlp, h, config.freeSteps());
    requireStableLateralRule(free);
    DMatrixRMaj[][] ghosts = BatchDynamics.ghostUpdate(net, free, config.etaGhost());
    DMatrixRMaj[] dw = prime ? BatchDynamics.weightUpdate(net, x, a, free, factors) : new DMatrixRMaj[0];
    apply(net, dw, ghosts, prime);
    return free;
  }

  /**
   * The weakly-clamped phase of a ghost-learning step, with the weights the free phase left and
   * from its state: the equilibrium, then eq. 6 (MA' also eq. 4-5, all clipped) applied to
   * {@code net}. Returns the weakly-clamped state.
   */
  BatchState learningNudgedPhase(DenseNetwork net, DMatrixRMaj x, DMatrixRMaj y, BatchState free) {
    boolean prime = config.isModelAPrime();
    DMatrixRMaj a = BatchDynamics.drive(net, x); // MA': W^1 changed in the free phase
    double beta = config.beta();
    BatchState nudged = path == Path.FAST
        ? BatchDynamics.settleOneHiddenLayer(net, a, y, beta, free, h, fallbacks)
        : BatchDynamics.euler(net, a, y, beta, free, h, config.nudgedSteps());
    DMatrixRMaj[] dw = BatchDynamics.weightUpdate(net, x, a, nudged, factors);
    DMatrixRMaj[][] ghosts = prime ? BatchDynamics.ghostUpdate(net, nudged, config.etaGhost())
        : new DMatrixRMaj[][] {{}, {}};
    apply(net, dw, ghosts, prime);
    return nudged;
  }

  /**
   * At a free equilibrium with one hidden layer, eq. 4 averaged over the batch is
   * Gamma - W^2 <- (Gamma - W^2)(I - eta C), C the batch mean of r^1 (r^1)^T (specs/model.md, GL):
   * the mismatch grows along C's top eigenvector when eta lambda_max(C) > 2, and
   * lambda_max(C) >= |mean r^1|^2. A rate past that bound cannot learn the ghosts (MA' clipping
   * only slows the growth: near Gamma = W^2 nothing is clipped), and training on would return
   * weights learned against wrong ghosts: refused, with the numbers.
   */
  private void requireStableLateralRule(BatchState free) {
    DMatrixRMaj r = Dense.rho(free.s(1));
    double meanSquare = 0;
    for (int i = 0; i < r.numRows; i++) {
      double mean = 0;
      for (int j = 0; j < r.numCols; j++) {
        mean += r.unsafe_get(i, j);
      }
      mean /= r.numCols;
      meanSquare += mean * mean;
    }
    double eta = config.etaGhost()[0];
    if (eta * meanSquare > 2) {
      throw new TrainingException(String.format(java.util.Locale.ROOT, "%s: the lateral rule eq. 4 is unstable at"
          + " etaGhost %s: at the free equilibrium it multiplies Gamma - W^2 by I - eta C (C: the batch mean of"
          + " r^1 r^1^T), and eta lambda_max(C) >= eta |mean r^1|^2 = %s x %.1f = %.2f > 2: the mismatch grows"
          + " along C's top eigenvector and the ghosts cannot learn W^2 (specs/model.md, GL; configs/table1/README.md)", config.name(), eta, eta, meanSquare,
          eta * meanSquare));
    }
  }

  private static void apply(DenseNetwork net, DMatrixRMaj[] dw, DMatrixRMaj[][] ghosts, boolean clip) {
    for (int k = 1; k <= dw.length; k++) {
      net.addToW(k, clip ? clipped(dw[k - 1]) : dw[k - 1]);
    }
    for (int k = 1; k <= ghosts[0].length; k++) {
      net.addToGhosts(k, clip ? clipped(ghosts[0][k - 1]) : ghosts[0][k - 1],
          clip ? clipped(ghosts[1][k - 1]) : ghosts[1][k - 1]);
    }
  }

  /** MA' clipping, entry by entry (in place). */
  private static DMatrixRMaj clipped(DMatrixRMaj m) {
    double c = ModelAPrime.PAPER_CLIP;
    for (int i = 0; i < m.data.length; i++) {
      m.data[i] = Math.max(-c, Math.min(c, m.data[i]));
    }
    return m;
  }

  /**
   * The weight updates of one mini-batch, without applying them (for the fast-vs-faithful checks of
   * the rows whose only rule is eq. 6: MA with converged ghosts, MB).
   */
  public DMatrixRMaj[] updates(DenseNetwork net, DMatrixRMaj x, DMatrixRMaj y) {
    if (config.learnsGhosts()) {
      throw new IllegalStateException(config.name() + " learns its ghosts: its step changes more than W; compare "
          + "whole steps instead");
    }
    return unappliedStep(net, x, y).dw();
  }

  /** A mini-batch's drive W^1 x, weakly-clamped state and eq.-6 update, as {@link #updates} takes them. */
  record UnappliedStep(DMatrixRMaj drive, BatchState nudged, DMatrixRMaj[] dw) {}

  /** {@link #updates} with the state it was taken at (for {@link StepComparison}); MB's ghost fit changes {@code net}. */
  UnappliedStep unappliedStep(DenseNetwork net, DMatrixRMaj x, DMatrixRMaj y) {
    DMatrixRMaj a = BatchDynamics.drive(net, x);
    BatchState nudged = nudgedState(net, x, y, a);
    return new UnappliedStep(a, nudged, BatchDynamics.weightUpdate(net, x, a, nudged, factors));
  }

  /**
   * Both phases of the rows whose only rule is eq. 6; Model B first fits its ghosts (which changes
   * Omega in {@code net}).
   */
  public BatchState nudgedState(DenseNetwork net, DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj a) {
    if (config.learnsGhosts()) {
      throw new IllegalStateException(config.name() + " learns its ghosts between its phases; use step");
    }
    BatchState fitted = net.modelA() ? null : BatchDynamics.fitGhostsModelB(net, a);
    double beta = config.beta();
    if (path == Path.FAST) {
      BatchState free = fitted != null ? fitted : BatchDynamics.forward(net, a);
      return net.modelA()
          ? BatchDynamics.nudgedModelASafe(net, a, y, beta, free, h, fallbacks)
          : BatchDynamics.settleOneHiddenLayer(net, a, y, beta, free, h, fallbacks);
    }
    BatchState free = BatchDynamics.euler(net, a, y, 0.0, BatchDynamics.zero(net, x.numCols), h, config.freeSteps());
    return BatchDynamics.euler(net, a, y, beta, free, h, config.nudgedSteps());
  }

  /** The example order of an epoch: a permutation fixed by (seed, epoch), so a resumed run repeats it. */
  public static int[] order(long seed, int epoch, int n) {
    Random rng = new Random(seed * 1_000_003L + epoch);
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = idx[i];
      idx[i] = idx[j];
      idx[j] = t;
    }
    return idx;
  }

  /** Columns idx[from..from+b-1] of the split as x (784 x b) and one-hot y (10 x b). */
  public static DMatrixRMaj[] batch(Mnist.Split data, int[] idx, int from, int b) {
    int n0 = data.images()[0].length;
    DMatrixRMaj x = new DMatrixRMaj(n0, b);
    DMatrixRMaj y = new DMatrixRMaj(10, b);
    for (int j = 0; j < b; j++) {
      int e = idx[from + j];
      double[] im = data.images()[e];
      for (int i = 0; i < n0; i++) {
        x.data[i * b + j] = im[i];
      }
      y.data[data.labels()[e] * b + j] = 1.0;
    }
    return new DMatrixRMaj[] {x, y};
  }

  /** Accuracy (%) and mean cost 1/2 |r^N - y|^2 of the feedforward graph (the free phase's equilibrium). */
  public record Score(double accuracy, double mse) {}

  public static Score evaluate(DenseNetwork net, Mnist.Split data, int limit) {
    int n = Math.min(limit, data.size());
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    int correct = 0;
    double cost = 0;
    int chunk = 1000;
    for (int from = 0; from < n; from += chunk) {
      int b = Math.min(chunk, n - from);
      DMatrixRMaj[] xy = batch(data, idx, from, b);
      BatchState fwd = BatchDynamics.forward(net, BatchDynamics.drive(net, xy[0]));
      DMatrixRMaj r = Dense.rho(fwd.s(net.depth()));
      for (int j = 0; j < b; j++) {
        int best = 0;
        for (int c = 0; c < r.numRows; c++) {
          double v = r.unsafe_get(c, j);
          double d = v - xy[1].unsafe_get(c, j);
          cost += 0.5 * d * d;
          if (v > r.unsafe_get(best, j)) {
            best = c;
          }
        }
        if (best == data.labels()[from + j]) {
          correct++;
        }
      }
    }
    return new Score(100.0 * correct / n, cost / n);
  }
}
