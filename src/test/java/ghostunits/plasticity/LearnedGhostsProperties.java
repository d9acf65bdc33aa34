package ghostunits.plasticity;

import static org.assertj.core.api.Assertions.assertThat;

import ghostunits.dynamics.Equilibrium;
import ghostunits.dynamics.EquilibriumSolver;
import ghostunits.dynamics.GhostNetwork;
import ghostunits.dynamics.State;
import ghostunits.dynamics.Stimulus;
import ghostunits.dynamics.TimeStep;
import ghostunits.model.Feedback;
import ghostunits.model.Weights;
import ghostunits.numeric.DoubleBackend;
import ghostunits.plasticity.BatchDynamics.BatchState;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.ejml.data.DMatrixRMaj;

/**
 * The batched training step of MA with learned ghosts and of MA' ({@link Trainer}, ghostMode
 * "learned") against the generic references ({@link ModelAGhostLearning#step}, {@link ModelAPrime#step})
 * on random one-hidden-layer networks whose ghosts are random (not W and B).
 */
class LearnedGhostsProperties {
  static final double EPS = Math.ulp(1.0);
  static final double L = 0.25;

  private static TrainConfig config(Random rng, boolean prime, boolean fa, double init, int steps, double h,
      boolean clippingRates) {
    int[] w = {1 + rng.nextInt(6), 1 + rng.nextInt(6), 1 + rng.nextInt(4)};
    double beta = prime ? new double[] {0.2, 0.5}[rng.nextInt(2)] : new double[] {0.1, 1, 10}[rng.nextInt(3)];
    // With clippingRates, MA' also draws weight rates large enough to clip (increments above 2). Only the
    // Euler path uses them: after such a step the weights are far from where an equilibrium is
    // guaranteed, and the reference Newton itself may find none. MA has no clipping.
    // Lateral rates stay below the LMS bound eta |mean r^1|^2 <= 2 (n_1 <= 6), which the
    // trainer enforces.
    int choices = prime && clippingRates ? 3 : 2;
    double etaW = new double[] {0.1, 0.5, 20}[rng.nextInt(choices)];
    double etaGhost = new double[] {0.05, 0.3}[rng.nextInt(2)];
    // h = dt / tau with tau = 1.
    return new TrainConfig("prop", prime ? TrainConfig.MA_PRIME : TrainConfig.MA, fa ? Feedback.FA : Feedback.TF, w,
        new int[] {w[2]}, h, 1.0, init, steps, steps, beta, 1, 1, new double[] {etaW, etaW}, new double[] {etaGhost},
        prime, TrainConfig.LEARNED, 0, 0, "");
  }

  private static Weights<DMatrixRMaj> reference(TrainConfig c, DenseNetwork net, DMatrixRMaj[] xy, Relaxation relax) {
    return reference(c, net, xy, relax, ModelAPrime.PAPER_CLIP);
  }

  /** The reference step; MA' with update clipping at {@code clip} (MA has none). */
  private static Weights<DMatrixRMaj> reference(TrainConfig c, DenseNetwork net, DMatrixRMaj[] xy, Relaxation relax,
      double clip) {
    Weights<DMatrixRMaj> w = net.toWeights(DoubleBackend.INSTANCE);
    double[] x = Fixtures.column(xy[0], 0);
    double[] y = Fixtures.column(xy[1], 0);
    double eta = c.etaGhost()[0];
    return c.isModelAPrime()
        ? ModelAPrime.step(Fixtures.MODEL, w, x, y, c.beta(), new ModelAPrime.Rates(c.etaW()[0], eta, eta),
            clip, relax)
        : ModelAGhostLearning.step(Fixtures.MODEL, w, x, y, c.beta(), c.weightFactor(1), eta, relax);
  }

  /**
   * Both phases of the fast path for learned (random) ghosts are equilibria of the full reference
   * field, the ones the reference Newton finds from the same start. Tolerances as in
   * BatchDynamicsProperties: the reduced solve stops at 1e-12 (1 + |u|), the eliminated s^1 adds
   * rounding only, and two approximate equilibria of one branch lie within 2 ||J^{-1}|| (|F1| + |F2|).
   */
  @Property(tries = 100)
  void fastPhasesAreReferenceEquilibria(@ForAll long seed, @ForAll boolean fa,
      @ForAll @DoubleRange(min = 0.05, max = 0.5) double init) {
    Random rng = new Random(seed);
    TrainConfig c = config(rng, false, fa, init, 1, 0.1, false);
    DenseNetwork net = DenseNetwork.initial(c, rng);
    DMatrixRMaj[] xy = Fixtures.batch(rng, c.widths()[0], c.widths()[2], 3);
    DMatrixRMaj a = BatchDynamics.drive(net, xy[0]);
    BatchState mlp = BatchDynamics.forward(net, a);
    BatchState free = BatchDynamics.equilibriumOneHiddenLayer(net, a, xy[1], 0.0, mlp);
    BatchState nudged = BatchDynamics.equilibriumOneHiddenLayer(net, a, xy[1], c.beta(), free);
    GhostNetwork<Double, double[], DMatrixRMaj> ref = Fixtures.reference(net);
    for (int j = 0; j < 3; j++) {
      State<double[]> start = Fixtures.state(mlp, j);
      State<double[]> zf = Fixtures.state(free, j);
      State<double[]> zn = Fixtures.state(nudged, j);
      assertIsTheReferenceEquilibrium(ref, Fixtures.stimulus(xy[0], xy[1], j, 0), zf, start, "free, example " + j);
      assertIsTheReferenceEquilibrium(ref, Fixtures.stimulus(xy[0], xy[1], j, c.beta()), zn, zf,
          "weakly-clamped, example " + j);
    }
  }

  private static void assertIsTheReferenceEquilibrium(GhostNetwork<Double, double[], DMatrixRMaj> ref,
      Stimulus<Double, double[]> stim, State<double[]> z, State<double[]> start, String what) {
    double size = Fixtures.maxAbs(ref.flatten(z));
    double field = Fixtures.maxAbs(ref.flatten(ref.field(z, stim)));
    assertThat(field).as("field at the fast state, %s", what).isLessThanOrEqualTo(2e-12 * (1 + size));
    Equilibrium<Double, double[]> newton = EquilibriumSolver.solve(ref, stim, start);
    double kappa = Fixtures.inverseNorm(ref.jacobian(z, stim));
    double dist = Fixtures.maxAbsDiff(ref.flatten(z), ref.flatten(newton.state()));
    assertThat(dist).as("fast state vs reference Newton, %s (kappa %.3g)", what, kappa)
        .isLessThanOrEqualTo(2 * kappa * (field + newton.residual()) + 8 * EPS * (1 + size));
  }

  /**
   * Why the printed lateral rates diverge on MNIST (configs/table1/README.md): at the free
   * equilibrium of a one-hidden-layer network the output has no error, s^2 = W^2 r^1, and the ghost
   * potential is g = Gamma r^1, so eq. 4 is one least-mean-squares step:
   * (Gamma + dGamma - W^2) r^1 = (1 - eta |r^1|^2) (Gamma - W^2) r^1. The mismatch along r^1 grows
   * whenever eta |r^1|^2 > 2. Checked on the batched rule (batch 1) to rounding: both sides are
   * sums of n_1 + 2 products of entries bounded by the sizes below.
   */
  @Property(tries = 100)
  void eq4AtTheFreeEquilibriumIsALeastMeanSquaresStep(@ForAll long seed, @ForAll boolean fa,
      @ForAll @DoubleRange(min = 0.05, max = 0.5) double init, @ForAll @DoubleRange(min = 0.01, max = 2) double eta) {
    Random rng = new Random(seed);
    TrainConfig c = config(rng, false, fa, init, 1, 0.1, false);
    DenseNetwork net = DenseNetwork.initial(c, rng);
    DMatrixRMaj[] xy = Fixtures.batch(rng, c.widths()[0], c.widths()[2], 1);
    DMatrixRMaj a = BatchDynamics.drive(net, xy[0]);
    BatchState free = BatchDynamics.equilibriumOneHiddenLayer(net, a, xy[1], 0.0, BatchDynamics.forward(net, a));
    DMatrixRMaj dGamma = BatchDynamics.ghostUpdate(net, free, new double[] {eta})[0][0];
    double[] r = Fixtures.column(Dense.rho(free.s(1)), 0);
    double rr = 0;
    for (double v : r) {
      rr += v * v;
    }
    DMatrixRMaj w2 = net.w(2);
    DMatrixRMaj gamma = net.gamma(1);
    double size = Fixtures.normInf(w2) + Fixtures.normInf(gamma) + eta * rr * (Fixtures.normInf(w2)
        + Fixtures.normInf(gamma));
    for (int i = 0; i < w2.numRows; i++) {
      double before = 0;
      double after = 0;
      for (int l = 0; l < r.length; l++) {
        before += (gamma.get(i, l) - w2.get(i, l)) * r[l];
        after += (gamma.get(i, l) + dGamma.get(i, l) - w2.get(i, l)) * r[l];
      }
      // The free solve stops at 1e-12 (1 + |u|): s^2 - W^2 r^1 and g - Gamma r^1 are that small,
      // and enter dGamma times eta |r|.
      double tol = (r.length + 8) * 4 * EPS * size + 4e-12 * (1 + size) * eta * (1 + rr);
      assertThat(Math.abs(after - (1 - eta * rr) * before)).as("row %d: |r|^2 = %s, eta = %s", i, rr, eta)
          .isLessThanOrEqualTo(tol);
    }
  }

  /**
   * The faithful path (Euler, from the MLP state) is the reference step with Euler relaxation: the
   * batched Euler map is bitwise the reference one for one example and ghosts of their own
   * (BatchDynamicsProperties), so the states are the same bits and the increments differ only in
   * the order of their few roundings. Every increment entry is eta a_i b_l (a product of two
   * computed factors and a rate, the factors being differences of at most two terms): computed in a
   * different order it differs by at most 4 eps |eta| |a|max |b|max; adding it to the weight rounds
   * once more (eps |weight|); MA' clipping is 1-Lipschitz. So per matrix
   * |diff| <= 4 eps (rate x bound of its factors) + 2 eps |weights after|.
   */
  @Property(tries = 100)
  void faithfulStepIsTheReferenceEulerStep(@ForAll long seed, @ForAll boolean prime, @ForAll boolean fa,
      @ForAll @DoubleRange(min = 0.05, max = 1.0) double init, @ForAll @IntRange(min = 0, max = 30) int steps) {
    Random rng = new Random(seed);
    double h = new double[] {0.1, 0.5, 1.0}[rng.nextInt(3)];
    TrainConfig c = config(rng, prime, fa, init, steps, h, true);
    DenseNetwork net = DenseNetwork.initial(c, rng);
    DMatrixRMaj[] xy = Fixtures.batch(rng, c.widths()[0], c.widths()[2], 1);
    Weights<DMatrixRMaj> expected = reference(c, net, xy, Relaxation.euler(TimeStep.ofRatio(h), steps));
    DenseNetwork actual = net.copy();
    new Trainer(c, Trainer.Path.FAITHFUL).step(actual, xy[0], xy[1]);
    assertStepsAgree(c, net, actual, expected, 0.0);
  }

  /**
   * The faithful comparison above with ghosts far from their targets (Gamma^1 entries +G, Omega^1
   * entries -G, G = 40 / etaGhost): the hidden rates go to 1 and both ghost rules' raw increments
   * lie far beyond the clip, so that clipping decides the step. MA' must match its reference, which
   * clips at 2; MA must match its own, which does not clip. That clipping decides is asserted, not
   * assumed: for MA' the unclipped reference step differs from the clipped one by more than 1 in
   * Gamma and in Omega, for MA Gamma and Omega move by more than 2 (the free phase's one increment).
   */
  @Property(tries = 30)
  void onlyMaPrimeClipsTheGhostIncrements(@ForAll long seed, @ForAll boolean prime, @ForAll boolean fa) {
    Random rng = new Random(seed);
    double h = 0.5;
    int steps = 10;
    TrainConfig c = config(rng, prime, fa, 0.5, steps, h, false);
    DenseNetwork net = DenseNetwork.initial(c, rng);
    double far = 40 / c.etaGhost()[0];
    Arrays.fill(net.gamma(1).data, far);
    Arrays.fill(net.omega(1).data, -far);
    DMatrixRMaj[] xy = Fixtures.batch(rng, c.widths()[0], c.widths()[2], 1);
    Relaxation euler = Relaxation.euler(TimeStep.ofRatio(h), steps);
    Weights<DMatrixRMaj> expected = reference(c, net, xy, euler);
    if (prime) {
      Weights<DMatrixRMaj> unclipped = reference(c, net, xy, euler, Double.MAX_VALUE);
      assertThat(Fixtures.maxAbsDiff(unclipped.gamma().at(1).data, expected.gamma().at(1).data)).isGreaterThan(1);
      assertThat(Fixtures.maxAbsDiff(unclipped.omega().at(1).data, expected.omega().at(1).data)).isGreaterThan(1);
    } else {
      assertThat(Fixtures.maxAbsDiff(expected.gamma().at(1).data, net.gamma(1).data)).isGreaterThan(2);
      assertThat(Fixtures.maxAbsDiff(expected.omega().at(1).data, net.omega(1).data)).isGreaterThan(2);
    }
    DenseNetwork actual = net.copy();
    new Trainer(c, Trainer.Path.FAITHFUL).step(actual, xy[0], xy[1]);
    assertStepsAgree(c, net, actual, expected, 0.0);
  }

  /**
   * The fast path is the reference step with Newton relaxation. The two differ by where each solver
   * stopped: per phase, the fast state is within delta = 2 ||J^{-1}|| (|F_fast| + |F_ref|) of the
   * reference one (measured at the fast states of this very step, recomputed below from the same
   * functions the step calls). An entry of any rule changes with the state by at most K delta,
   * K = (max rate) (2 + L (2 + |W| + |B| + |Omega| + |Gamma|) + L (|s| + |g|)) (each factor is
   * 1-Lipschitz or L-Lipschitz times a matrix norm; max-row-sum norms). In MA' the free phase also
   * changes W by up to K delta_free, which moves the weakly-clamped equilibrium by at most
   * ||J^{-1}|| (n_max K delta_free): it is added to that phase's delta.
   */
  @Property(tries = 100)
  void fastStepIsTheReferenceNewtonStep(@ForAll long seed, @ForAll boolean prime, @ForAll boolean fa,
      @ForAll @DoubleRange(min = 0.05, max = 0.5) double init) {
    Random rng = new Random(seed);
    TrainConfig c = config(rng, prime, fa, init, 1, 0.1, false);
    DenseNetwork net = DenseNetwork.initial(c, rng);
    DMatrixRMaj[] xy = Fixtures.batch(rng, c.widths()[0], c.widths()[2], 1);
    Weights<DMatrixRMaj> expected = reference(c, net, xy, Relaxation.newton());
    DenseNetwork actual = net.copy();
    new Trainer(c, Trainer.Path.FAST).step(actual, xy[0], xy[1]);

    // The step's own phases on a copy, to measure where its solver stopped in each.
    DenseNetwork probe = net.copy();
    Trainer trainer = new Trainer(c, Trainer.Path.FAST);
    GhostNetwork<Double, double[], DMatrixRMaj> before = Fixtures.reference(probe);
    double k = lipschitz(c, probe, BatchDynamics.forward(probe, BatchDynamics.drive(probe, xy[0])));
    BatchState free = trainer.learningFreePhase(probe, xy[0], xy[1]);
    k = Math.max(k, lipschitz(c, probe, free));
    double deltaFree = stopDistance(before, Fixtures.stimulus(xy[0], xy[1], 0, 0), Fixtures.state(free, 0));
    double nMax = Math.max(c.widths()[0], Math.max(c.widths()[1], c.widths()[2]));
    GhostNetwork<Double, double[], DMatrixRMaj> afterFree = Fixtures.reference(probe);
    DenseNetwork afterFreeNet = probe.copy();
    BatchState nudged = trainer.learningNudgedPhase(probe, xy[0], xy[1], free);
    k = Math.max(k, lipschitz(c, afterFreeNet, nudged));
    Stimulus<Double, double[]> stim = Fixtures.stimulus(xy[0], xy[1], 0, c.beta());
    double deltaNudged = stopDistance(afterFree, stim, Fixtures.state(nudged, 0))
        + Fixtures.inverseNorm(afterFree.jacobian(Fixtures.state(nudged, 0), stim)) * nMax * 2 * k * deltaFree;
    double stateBound = 2 * k * (deltaFree + deltaNudged);
    assertStepsAgree(c, net, actual, expected, stateBound);
  }

  /** 2 ||J^{-1}|| (|F(z)| + the reference Newton's residual), the a-posteriori distance of z to its equilibrium. */
  private static double stopDistance(GhostNetwork<Double, double[], DMatrixRMaj> ref, Stimulus<Double, double[]> stim,
      State<double[]> z) {
    double field = Fixtures.maxAbs(ref.flatten(ref.field(z, stim)));
    Equilibrium<Double, double[]> newton = EquilibriumSolver.solve(ref, stim, z);
    return 2 * Fixtures.inverseNorm(ref.jacobian(z, stim)) * (field + newton.residual());
  }

  private static double lipschitz(TrainConfig c, DenseNetwork net, BatchState z) {
    double rate = Math.max(Math.max(c.weightFactor(1), c.weightFactor(2)), c.etaGhost()[0]);
    double norms = Fixtures.normInf(net.w(1)) + Fixtures.normInf(net.w(2)) + Fixtures.normInf(net.b(1))
        + Fixtures.normInf(net.omega(1)) + Fixtures.normInf(net.gamma(1));
    double states = Dense.maxAbs(z.s(1)) + Dense.maxAbs(z.s(2)) + Dense.maxAbs(z.g(1));
    return rate * (2 + L * (2 + norms) + L * states);
  }

  /**
   * W, Gamma and Omega after the batched step against the reference, matrix by matrix, within the
   * rounding bound of the faithful property plus {@code stateBound} (fast path).
   */
  private static void assertStepsAgree(TrainConfig c, DenseNetwork before, DenseNetwork actual,
      Weights<DMatrixRMaj> expected, double stateBound) {
    double rate = Math.max(Math.max(c.weightFactor(1), c.weightFactor(2)), c.etaGhost()[0]);
    // Factor bound: rates and brackets lie in [-1, 1]; s - g and e = B r - Omega rho(g) are bounded by
    // the sizes below (with a margin of 2 for the change of the state over a phase).
    // (The larger of the weights before and after the step: MA' changes them between its phases.)
    double factors = 2 * (1 + Math.max(norms(before), norms(actual)));
    int phases = c.isModelAPrime() ? 2 : 1;
    for (int k = 1; k <= 2; k++) {
      check("W^" + k, actual.w(k), expected.w().at(k), phases, rate, factors, stateBound);
    }
    check("Gamma^1", actual.gamma(1), expected.gamma().at(1), phases, rate, factors, stateBound);
    check("Omega^1", actual.omega(1), expected.omega().at(1), phases, rate, factors, stateBound);
  }

  private static double norms(DenseNetwork n) {
    return Fixtures.normInf(n.w(2)) + Fixtures.normInf(n.b(1)) + Fixtures.normInf(n.omega(1))
        + Fixtures.normInf(n.gamma(1)) + Fixtures.normInf(n.w(1));
  }

  private static void check(String name, DMatrixRMaj actual, DMatrixRMaj expected, int phases, double rate,
      double factors, double stateBound) {
    double tol = phases * (4 * EPS * rate * factors + stateBound) + 2 * phases * EPS * Dense.maxAbs(expected);
    for (int i = 0; i < expected.data.length; i++) {
      assertThat(Math.abs(actual.data[i] - expected.data[i])).as("%s entry %d (tolerance %.3g)", name, i, tol)
          .isLessThanOrEqualTo(tol);
    }
  }
  /**
   * Eq. 4 and 5 on a batch: the mean over its b examples, at any state (not only an equilibrium),
   * one array entry per hidden layer. The other properties here train with batch 1, where the mean
   * and the sum agree; this one fixes the 1 / b. Written from the definitions with explicit loops;
   * each entry is a sum of at most b (n_2 + m + 1) products, so the two computations differ by at
   * most (n_2 + m + b + 4) eps times the sum of the products' sizes.
   */
  @Property(tries = 100)
  void ghostUpdateIsTheBatchMeanOfEq4And5(@ForAll long seed, @ForAll boolean fa,
      @ForAll @IntRange(min = 1, max = 6) int batch, @ForAll @DoubleRange(min = 0.01, max = 2) double eta) {
    Random rng = new Random(seed);
    TrainConfig c = config(rng, false, fa, 0.5, 1, 0.1, false);
    DenseNetwork net = DenseNetwork.initial(c, rng);
    int n1 = c.widths()[1];
    int n2 = c.widths()[2];
    BatchState z = BatchDynamics.zero(net, batch);
    for (DMatrixRMaj m : new DMatrixRMaj[] {z.s(1), z.s(2), z.g(1)}) {
      for (int i = 0; i < m.data.length; i++) {
        m.data[i] = 4 * rng.nextDouble() - 2;
      }
    }
    DMatrixRMaj[][] update = BatchDynamics.ghostUpdate(net, z, new double[] {eta});
    assertThat(update[0]).as("dGamma, one per hidden layer").hasSize(1);
    assertThat(update[1]).as("dOmega, one per hidden layer").hasSize(1);
    DMatrixRMaj b1 = net.b(1);
    DMatrixRMaj om = net.omega(1);
    int m = om.numCols;
    double bound = (n2 + m + batch + 4) * EPS;
    for (int i = 0; i < n2; i++) {
      for (int l = 0; l < n1; l++) {
        double sum = 0;
        double size = 0;
        for (int j = 0; j < batch; j++) {
          double term = (z.s(2).get(i, j) - z.g(1).get(i, j)) * Dense.rho(z.s(1).get(l, j));
          sum += term;
          size += Math.abs(term);
        }
        assertThat(Math.abs(update[0][0].get(i, l) - eta * sum / batch)).as("dGamma[%d][%d], batch %d", i, l, batch)
            .isLessThanOrEqualTo(bound * eta * size / batch);
      }
    }
    for (int i = 0; i < n1; i++) {
      for (int q = 0; q < m; q++) {
        double sum = 0;
        double size = 0;
        for (int j = 0; j < batch; j++) {
          double e = 0;
          double eSize = 0;
          for (int p = 0; p < n2; p++) {
            e += b1.get(i, p) * Dense.rho(z.s(2).get(p, j));
            eSize += Math.abs(b1.get(i, p) * Dense.rho(z.s(2).get(p, j)));
          }
          for (int p = 0; p < m; p++) {
            e -= om.get(i, p) * Dense.rho(z.g(1).get(p, j));
            eSize += Math.abs(om.get(i, p) * Dense.rho(z.g(1).get(p, j)));
          }
          double rg = Dense.rho(z.g(1).get(q, j));
          sum += e * rg;
          size += eSize * rg;
        }
        assertThat(Math.abs(update[1][0].get(i, q) - eta * sum / batch)).as("dOmega[%d][%d], batch %d", i, q, batch)
            .isLessThanOrEqualTo(bound * eta * size / batch);
      }
    }
  }
}
