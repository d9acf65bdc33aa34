package ghostunits.plasticity;

import static org.assertj.core.api.Assertions.assertThat;

import ghostunits.dynamics.Equilibrium;
import ghostunits.dynamics.EquilibriumSolver;
import ghostunits.dynamics.EulerIntegrator;
import ghostunits.dynamics.GhostNetwork;
import ghostunits.dynamics.State;
import ghostunits.dynamics.Stimulus;
import ghostunits.dynamics.TimeStep;
import ghostunits.model.Feedback;
import ghostunits.model.Layers;
import ghostunits.plasticity.BatchDynamics.BatchState;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.ejml.data.DMatrixRMaj;

/**
 * The batched double path (EJML, columns = examples) against the generic reference code
 * (GhostNetwork, EulerIntegrator, EquilibriumSolver, LocalRules) on random small networks.
 */
class BatchDynamicsProperties {
  static final double EPS = Math.ulp(1.0);

  /**
   * The faithful batched Euler map is the reference Euler map: with one example per batch (EJML then
   * multiplies matrix by vector, as DoubleBackend does) and ghosts that are not W and B themselves (no
   * shared products), the states after any number of steps are bitwise equal.
   */
  @Property(tries = 60)
  void eulerIsTheReferenceEulerMapBitwise(@ForAll long seed, @ForAll @IntRange(min = 1, max = 2) int hidden,
      @ForAll boolean fa, @ForAll @IntRange(min = 0, max = 40) int steps) {
    Random rng = new Random(seed);
    int[] w = Fixtures.widths(rng, hidden, 7);
    int[] ghosts = new int[hidden];
    for (int i = 0; i < hidden; i++) {
      ghosts[i] = 1 + rng.nextInt(4);
    }
    TrainConfig c = Fixtures.config("MB", fa ? Feedback.FA : Feedback.TF, w, ghosts, 1.0, 1, 1);
    DenseNetwork net = DenseNetwork.initial(c, rng);
    DMatrixRMaj[] xy = Fixtures.batch(rng, w[0], w[w.length - 1], 1);
    double beta = new double[] {0, 0.1, 10, -0.5}[rng.nextInt(4)];
    double h = new double[] {0.1, 0.5, 1.0}[rng.nextInt(3)];
    BatchState start = BatchDynamics.zero(net, 1);
    for (DMatrixRMaj m : start.s()) {
      for (int i = 0; i < m.data.length; i++) {
        m.data[i] = 2 * rng.nextDouble() - 1;
      }
    }
    for (DMatrixRMaj m : start.g()) {
      for (int i = 0; i < m.data.length; i++) {
        m.data[i] = 2 * rng.nextDouble() - 1;
      }
    }
    BatchState fast = BatchDynamics.euler(net, BatchDynamics.drive(net, xy[0]), xy[1], beta, start, h, steps);
    GhostNetwork<Double, double[], DMatrixRMaj> ref = Fixtures.reference(net);
    State<double[]> expected = EulerIntegrator.run(ref, Fixtures.stimulus(xy[0], xy[1], 0, beta),
        Fixtures.state(start, 0), TimeStep.ofRatio(h), steps);
    State<double[]> actual = Fixtures.state(fast, 0);
    for (int k = 1; k <= net.depth(); k++) {
      assertThat(actual.s().at(k)).as("s^%d after %d steps", k, steps).isEqualTo(expected.s().at(k));
    }
    for (int k = 1; k < net.depth(); k++) {
      assertThat(actual.g().at(k)).as("g^%d after %d steps", k, steps).isEqualTo(expected.g().at(k));
    }
  }

  /**
   * Model A, converged ghosts, the fast path: the forward pass is the free equilibrium (T0) and the
   * reduced Newton state is the weakly-clamped equilibrium of the full reference field, the same one
   * the reference Newton finds from the MLP state; so is the state of its Euler fallback.
   *
   * <p>Tolerances. The reduced solve stops at |R| <= 1e-12 (1 + |s^N|); the other components of the
   * field vanish by construction up to the rounding of their re-evaluation, at most ~n eps |terms|
   * (n <= 8 summands of size <= |z|: < 1e-13 (1 + |z|)), hence |F(z_fast)| <= 2e-12 (1 + |z|). Two
   * approximate equilibria with residuals F1, F2 of the same branch lie within
   * ||J^{-1}|| (|F1| + |F2|) of each other to first order; the factor 2 covers the second-order term
   * (the residuals are ~1e-12, so it is negligible).
   */
  @Property(tries = 100)
  void fastModelAStateIsTheReferenceEquilibrium(@ForAll long seed, @ForAll @IntRange(min = 1, max = 2) int hidden,
      @ForAll boolean fa, @ForAll @DoubleRange(min = 0.05, max = 0.5) double init) {
    Random rng = new Random(seed);
    int[] w = Fixtures.widths(rng, hidden, 8);
    int[] ghosts = Arrays.copyOfRange(w, 2, w.length);
    double beta = new double[] {0.1, 1, 10}[rng.nextInt(3)];
    Fixtures.Problem p = Fixtures.Problem.of(rng, "MA", fa ? Feedback.FA : Feedback.TF, w, ghosts, init, beta, 3);
    DenseNetwork net = p.net();
    DMatrixRMaj[] xy = p.xy();
    DMatrixRMaj a = p.a();
    BatchState free = BatchDynamics.forward(net, a);
    BatchState nudged = BatchDynamics.nudgedModelA(net, a, xy[1], beta, free);
    checkEquilibria(net, xy, beta, free, nudged);
    // The fallback for an example whose reduced Newton fails (the Euler map until the whole field
    // is below TOLERANCE (1 + |z|)), forced by allowing no Newton iteration, lands on the same
    // reference equilibrium, within the same tolerances.
    double h = new double[] {0.1, 0.5}[rng.nextInt(2)];
    EulerFallbacks fallbacks = new EulerFallbacks();
    checkEquilibria(net, xy, beta, free, BatchDynamics.nudgedModelASafe(net, a, xy[1], beta, free, h, 0, fallbacks));
    // With no Newton iteration allowed, every example was settled by the dynamics, and counted.
    assertThat(fallbacks.count()).isEqualTo(a.numCols);
  }

  /**
   * Model B (one hidden layer, any Gamma): after the fast ghost fit the forward pass is a free
   * equilibrium with zero hidden error (T2a), and the reduced (s^2, g) Newton state is the
   * weakly-clamped equilibrium of the reference field. Tolerances as for Model A.
   */
  @Property(tries = 100)
  void fastModelBStateIsTheReferenceEquilibrium(@ForAll long seed, @ForAll boolean fa,
      @ForAll @DoubleRange(min = 0.05, max = 0.5) double init) {
    Random rng = new Random(seed);
    int[] w = Fixtures.widths(rng, 1, 8);
    int[] ghosts = {1 + rng.nextInt(5)};
    double beta = new double[] {0.1, 1}[rng.nextInt(2)];
    Fixtures.Problem p = Fixtures.Problem.of(rng, "MB", fa ? Feedback.FA : Feedback.TF, w, ghosts, init, beta, 1);
    DenseNetwork net = p.net();
    DMatrixRMaj[] xy = p.xy();
    DMatrixRMaj a = p.a();
    BatchState free = BatchDynamics.fitGhostsModelB(net, a);
    Layers<double[]> e = Fixtures.reference(net).errors(Fixtures.state(free, 0), Fixtures.stimulus(xy[0], xy[1], 0, 0));
    assertThat(Fixtures.maxAbs(e.at(1))).as("hidden error after the fit (T2a)")
        .isLessThanOrEqualTo(64 * EPS * (1 + Fixtures.maxAbs(Fixtures.column(free.s(2), 0))));
    BatchState nudged = BatchDynamics.equilibriumOneHiddenLayer(net, a, xy[1], beta, free);
    checkEquilibria(net, xy, beta, free, nudged);
  }

  /**
   * The batched Model B ghost fit is the generic one of FastGhostCancellation.leastChange (branch
   * model-b): Omega + (b - Omega u) u^T / (u^T u). Both round the same few operations per entry
   * in a different order: within 16 eps (|Omega_0| + |Omega_1|).
   */
  @Property(tries = 60)
  void modelBGhostFitIsTheLeastChangeFit(@ForAll long seed, @ForAll boolean fa) {
    Random rng = new Random(seed);
    int[] w = Fixtures.widths(rng, 1, 8);
    int[] ghosts = {1 + rng.nextInt(5)};
    TrainConfig c = Fixtures.config("MB", fa ? Feedback.FA : Feedback.TF, w, ghosts, 0.5, 0.1, 1);
    DenseNetwork net = DenseNetwork.initial(c, rng);
    DMatrixRMaj[] xy = Fixtures.batch(rng, w[0], w[w.length - 1], 1);
    DMatrixRMaj before = net.omega(1).copy();
    ghostunits.model.Weights<DMatrixRMaj> expected = FastGhostCancellation.leastChange(Fixtures.MODEL,
        net.toWeights(ghostunits.numeric.DoubleBackend.INSTANCE), Fixtures.column(xy[0], 0));
    BatchDynamics.fitGhostsModelB(net, BatchDynamics.drive(net, xy[0]));
    DMatrixRMaj e = expected.omega().at(1);
    double scale = org.ejml.dense.row.CommonOps_DDRM.elementMaxAbs(before)
        + org.ejml.dense.row.CommonOps_DDRM.elementMaxAbs(e);
    for (int i = 0; i < e.data.length; i++) {
      assertThat(Math.abs(net.omega(1).data[i] - e.data[i])).isLessThanOrEqualTo(16 * EPS * scale);
    }
  }

  static void checkEquilibria(DenseNetwork net, DMatrixRMaj[] xy, double beta, BatchState free,
      BatchState nudged) {
    GhostNetwork<Double, double[], DMatrixRMaj> ref = Fixtures.reference(net);
    for (int j = 0; j < xy[0].numCols; j++) {
      State<double[]> zf = Fixtures.state(free, j);
      double freeSize = Fixtures.maxAbs(ref.flatten(zf));
      double freeField = Fixtures.maxAbs(ref.flatten(ref.field(zf, Fixtures.stimulus(xy[0], xy[1], j, 0))));
      assertThat(freeField).as("free-phase field at the forward pass, example %d", j)
          .isLessThanOrEqualTo(64 * EPS * (1 + freeSize));
      Stimulus<Double, double[]> stim = Fixtures.stimulus(xy[0], xy[1], j, beta);
      State<double[]> z = Fixtures.state(nudged, j);
      double size = Fixtures.maxAbs(ref.flatten(z));
      double field = Fixtures.maxAbs(ref.flatten(ref.field(z, stim)));
      assertThat(field).as("weakly-clamped field at the fast state, example %d (beta %s)", j, beta)
          .isLessThanOrEqualTo(2e-12 * (1 + size));
      Equilibrium<Double, double[]> newton = EquilibriumSolver.solve(ref, stim);
      double kappa = Fixtures.inverseNorm(ref.jacobian(z, stim));
      double dist = Fixtures.maxAbsDiff(ref.flatten(z), ref.flatten(newton.state()));
      assertThat(dist).as("fast state vs reference Newton, example %d (kappa %.3g)", j, kappa)
          .isLessThanOrEqualTo(2 * kappa * (field + newton.residual()) + 8 * EPS * (1 + size));
    }
  }

  /**
   * The batched eq. 6 is the batch mean of LocalRules.weightUpdateRateDifference with eta = c beta
   * (LocalRules divides by beta). Each entry is a mean of b terms, each at most |c| (bracket and
   * rates lie in [-1, 1]); the two computations round each term differently by a few eps |c| and
   * the sums by b eps |c|: the bound (8 + b) eps |c| (plus c beta / beta's 1 ulp) covers both.
   */
  @Property(tries = 60)
  void weightUpdateIsTheMeanOfTheLocalRule(@ForAll long seed, @ForAll @IntRange(min = 1, max = 2) int hidden,
      @ForAll boolean fa, @ForAll @IntRange(min = 1, max = 5) int batch) {
    Random rng = new Random(seed);
    int[] w = Fixtures.widths(rng, hidden, 8);
    double beta = new double[] {0.1, 1, 10}[rng.nextInt(3)];
    TrainConfig c = Fixtures.config("MA", fa ? Feedback.FA : Feedback.TF, w, Arrays.copyOfRange(w, 2, w.length),
        0.3, beta, batch);
    DenseNetwork net = DenseNetwork.initial(c, rng);
    DMatrixRMaj[] xy = Fixtures.batch(rng, w[0], w[w.length - 1], batch);
    DMatrixRMaj a = BatchDynamics.drive(net, xy[0]);
    BatchState z = BatchDynamics.nudgedModelA(net, a, xy[1], beta, BatchDynamics.forward(net, a));
    double[] factors = new double[net.depth()];
    for (int k = 1; k <= net.depth(); k++) {
      factors[k - 1] = 0.05 + rng.nextDouble();
    }
    DMatrixRMaj[] dw = BatchDynamics.weightUpdate(net, xy[0], a, z, factors);
    GhostNetwork<Double, double[], DMatrixRMaj> ref = Fixtures.reference(net);
    for (int k = 1; k <= net.depth(); k++) {
      DMatrixRMaj mean = new DMatrixRMaj(net.width(k), net.width(k - 1));
      for (int j = 0; j < batch; j++) {
        Layers<DMatrixRMaj> local = LocalRules.weightUpdateRateDifference(ref, Fixtures.state(z, j),
            Fixtures.column(xy[0], j), factors[k - 1] * beta, beta);
        org.ejml.dense.row.CommonOps_DDRM.addEquals(mean, 1.0 / batch, local.at(k));
      }
      double diff = 0;
      for (int i = 0; i < mean.data.length; i++) {
        diff = Math.max(diff, Math.abs(mean.data[i] - dw[k - 1].data[i]));
      }
      assertThat(diff).as("dW^%d batched vs LocalRules mean", k).isLessThanOrEqualTo((8 + batch) * EPS * factors[k - 1]);
    }
    // The in-place application adds the same update (to rounding of one addition per entry).
    DenseNetwork applied = net.copy();
    BatchDynamics.applyWeightUpdate(applied, xy[0], a, z, factors);
    for (int k = 1; k <= net.depth(); k++) {
      for (int i = 0; i < dw[k - 1].data.length; i++) {
        double expected = net.w(k).data[i] + dw[k - 1].data[i];
        assertThat(Math.abs(applied.w(k).data[i] - expected)).isLessThanOrEqualTo(
            (8 + batch) * EPS * (factors[k - 1] + Math.abs(expected)));
      }
    }
  }
}
