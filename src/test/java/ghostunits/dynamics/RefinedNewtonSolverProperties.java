package ghostunits.dynamics;

import static org.assertj.core.api.Assertions.assertThat;

import ghostunits.model.Feedback;
import ghostunits.model.Layers;
import ghostunits.model.Model;
import ghostunits.model.NetworkSpec;
import ghostunits.model.Weights;
import ghostunits.numeric.ApfloatBackend;
import ghostunits.numeric.Backend;
import ghostunits.numeric.DoubleBackend;
import ghostunits.numeric.ScalarField;
import ghostunits.testing.Networks;
import ghostunits.theory.LinearResponse;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.ejml.data.DMatrixRMaj;

/**
 * The fast path of the oracle, {@link RefinedNewtonSolver} (double Jacobian, working-precision
 * field, W^1 x computed once), finds the same equilibrium as the reference {@link
 * EquilibriumSolver} (dense Newton at the working precision), and its iterative-refinement solve
 * gives the same linear response as {@link LinearResponse#at} with a dense LU.
 *
 * <p>"The same" means: within {@link #AGREEMENT} units of the working precision's rounding unit,
 * relative to 1 + |z|. Both results are the equilibrium rounded to p digits, each off by about
 * cond(J) eps; on these networks (weights U(-1, 1), widths up to 6, ghosts converged or perturbed
 * by U(-0.3, 0.3), beta in {0, 1e-3, 0.1, 0.5, -0.1}) the measured disagreement over 300 double and
 * 60 apfloat(40) cases was exactly 0 in double (the same double Jacobian gives the same steps) and
 * at most 0.03 eps in apfloat; the solver's own correction estimate was at most 0.1 eps.
 */
class RefinedNewtonSolverProperties {
  static final double AGREEMENT = 4;

  @Property(tries = 12)
  void sameEquilibriumAsDenseNewtonInApfloat(@ForAll("networks") NetworkSpec spec, @ForAll("betas") double beta,
      @ForAll boolean perturbGhosts, @ForAll long seed) {
    compareEquilibria(new ApfloatBackend(40), spec, beta, perturbGhosts, seed);
  }

  @Property(tries = 100)
  void sameEquilibriumAsDenseNewtonInDouble(@ForAll("networks") NetworkSpec spec, @ForAll("betas") double beta,
      @ForAll boolean perturbGhosts, @ForAll long seed) {
    compareEquilibria(DoubleBackend.INSTANCE, spec, beta, perturbGhosts, seed);
  }

  @Property(tries = 10)
  void refinedLinearResponseEqualsDenseInApfloat(@ForAll("networks") NetworkSpec spec, @ForAll boolean perturbGhosts,
      @ForAll long seed) {
    ApfloatBackend be = new ApfloatBackend(40);
    Case<?, ?, ?> c = new Case<>(be, spec, perturbGhosts, seed);
    c.compareLinearResponse();
  }

  @Property(tries = 30)
  void fieldWithPrecomputedInputDriveIsTheField(@ForAll("networks") NetworkSpec spec, @ForAll("betas") double beta,
      @ForAll long seed) {
    Case<Double, double[], DMatrixRMaj> c = new Case<>(DoubleBackend.INSTANCE, spec, true, seed);
    Stimulus<Double, double[]> stim = c.stimulus(beta);
    State<double[]> state = c.net.forwardState(c.x);
    State<double[]> moved = c.net.eulerStep(state, stim.withBeta(0.3), 0.7);
    assertThat(c.net.flatten(c.net.field(moved, stim, c.net.inputDrive(c.x))))
        .containsExactly(c.net.flatten(c.net.field(moved, stim)));
  }

  /**
   * The double factorization behind every refinement step (a Schur complement over the -I blocks
   * that are not coupled to each other, then a dense LU) solves J z = r to a backward error of
   * rounding size: |J z - r| <= 8 n eps (|J| |z| + |r|) in the max-norm, n the system size (the
   * standard LU bound with a small growth factor; measured at most 0.3 n eps over 1,000 cases).
   * The refinement loops would converge, only more slowly, from a wrong factorization, because
   * they evaluate the field exactly; so this checks the factorization on its own.
   */
  @Property(tries = 100)
  void blockFactorizationSolvesTheJacobianSystem(@ForAll("networks") NetworkSpec spec, @ForAll("betas") double beta,
      @ForAll boolean perturbGhosts, @ForAll long seed) {
    Case<Double, double[], DMatrixRMaj> c = new Case<>(DoubleBackend.INSTANCE, spec, perturbGhosts, seed);
    Stimulus<Double, double[]> stim = c.stimulus(beta);
    // Away from the equilibrium, so that the rates' derivatives differ from layer to layer.
    State<double[]> state = c.net.eulerStep(c.net.forwardState(c.x), stim.withBeta(0.3), 0.7);
    BlockJacobian<Double, double[], DMatrixRMaj> jac = c.net.jacobianBlocks(state, stim);
    Random rng = new Random(seed);
    int n = jac.size();
    double[] rhs = new double[n];
    for (int i = 0; i < n; i++) {
      rhs[i] = 2 * rng.nextDouble() - 1;
    }
    double[] z = RefinedNewtonSolver.factor(jac).solve(rhs);
    double[] jz = jac.times(z);
    DMatrixRMaj dense = jac.dense();
    double residual = 0;
    double normJ = 0;
    double normZ = 0;
    double normR = 0;
    for (int i = 0; i < n; i++) {
      residual = Math.max(residual, Math.abs(jz[i] - rhs[i]));
      double row = 0;
      for (int j = 0; j < n; j++) {
        row += Math.abs(dense.get(i, j));
      }
      normJ = Math.max(normJ, row);
      normZ = Math.max(normZ, Math.abs(z[i]));
      normR = Math.max(normR, Math.abs(rhs[i]));
    }
    double eps = Math.ulp(1.0);
    double scale = normJ * normZ + normR;
    assertThat(residual).as("%s beta %s: |J z - r| = %s n eps (|J| |z| + |r|), n = %d", spec, beta,
        residual / (n * eps * scale), n).isLessThanOrEqualTo(8 * n * eps * scale);
  }

  /**
   * The reported iteration count (written to result files as {@code solver.iterations}) is the
   * number of refinement steps taken after the double presolve. Two counts are known without
   * trusting the solver: restarted from its own result, it takes exactly one step (one step at
   * rounding size, which meets the stopping rule), or none if the residual there is exactly 0; and
   * after a double presolve it takes at least two, because the first step corrects the double
   * rounding (about 1e-16) and the stopping threshold is 1000 working-precision eps, and at most
   * what a contraction by 1e-12 per step needs (a skipped presolve or a stale factorization
   * takes more).
   */
  @Property(tries = 20)
  void iterationCountIsTheNumberOfStepsTakenInApfloat(@ForAll("networks") NetworkSpec spec,
      @ForAll("betas") double beta, @ForAll boolean perturbGhosts, @ForAll long seed) {
    checkIterationCount(new ApfloatBackend(40), spec, beta, perturbGhosts, seed);
  }

  @Property(tries = 100)
  void iterationCountIsTheNumberOfStepsTakenInDouble(@ForAll("networks") NetworkSpec spec,
      @ForAll("betas") double beta, @ForAll boolean perturbGhosts, @ForAll long seed) {
    checkIterationCount(DoubleBackend.INSTANCE, spec, beta, perturbGhosts, seed);
  }

  private static <S, V, M> void checkIterationCount(
      Backend<S, V, M> be, NetworkSpec spec, double beta, boolean perturbGhosts, long seed) {
    Case<S, V, M> c = new Case<>(be, spec, perturbGhosts, seed);
    Stimulus<S, V> stim = c.stimulus(beta);
    V drive = c.net.inputDrive(c.x);
    RefinedNewtonSolver.Refined<S, V> first;
    try {
      first = RefinedNewtonSolver.solve(c.net, c.approx, stim, drive, c.net.forwardState(c.x));
    } catch (NoConvergenceException e) {
      Assume.that(false); // a perturbed net can lose its equilibrium
      return;
    }
    int taken = first.equilibrium().iterations();
    assertThat(taken).isBetween(0, RefinedNewtonSolver.MAX_ITERATIONS);
    State<V> start = c.net.forwardState(c.x);
    double startResidual = be.scalars().toDouble(be.normMax(c.net.flatten(c.net.field(start, stim, drive))));
    double startSize = be.scalars().toDouble(be.normMax(c.net.flatten(start)));
    if (be != DoubleBackend.INSTANCE && startResidual > 1e-10 * (1 + startSize)) {
      // A start far above double accuracy is carried to the equilibrium in double first (the
      // double Newton from there converges on these networks, and always lowers the residual).
      assertThat(first.fromDoubleSolve()).as("%s beta %s: start residual %s, presolved", spec, beta, startResidual)
          .isTrue();
    }
    if (first.fromDoubleSolve() && be != DoubleBackend.INSTANCE) {
      // At least two (above). At most: each step multiplies the error by q = 1e-16 cond(J) and the
      // presolve leaves an error of about 1e-16 cond(J); with cond(J) <= 1e6 (these Jacobians are
      // -I plus a weak coupling) both are <= 1e-10, and the step that meets the stopping threshold
      // 10^-D = 1000 eps_p comes after ceil((D - 10) / 10) steps that do not: at 40 digits (D = 36),
      // at most 4. Measured: 2 or 3 steps at 40 digits (169 cases), 4 or 5 at 80 (158 cases).
      double d = -Math.log10(1000 * be.scalars().toDouble(be.scalars().epsilon()));
      int most = (int) Math.ceil((d - 10) / 10) + 1;
      assertThat(taken).as("%s beta %s: refinement steps after a double presolve (D = %.0f)", spec, beta, d)
          .isBetween(2, most);
    }
    RefinedNewtonSolver.Refined<S, V> again = RefinedNewtonSolver.solve(
        c.net, c.approx, stim, drive, first.equilibrium().state());
    ScalarField<S> f = be.scalars();
    // The restart's start is first's result, whose field first reports: exactly zero means no step
    // is taken and the start comes back as it is (documented on solve); otherwise exactly one step.
    boolean exact = f.compare(first.equilibrium().residual(), f.zero()) == 0;
    assertThat(again.equilibrium().iterations()).as("%s beta %s: restarted from its own result", spec, beta)
        .isEqualTo(exact ? 0 : 1);
    if (exact) {
      assertThat(again.equilibrium().state()).isSameAs(first.equilibrium().state());
    }
    // Both branches are exercised (jqwik prints these counts with the report).
    Statistics.label("presolve, steps").collect(first.fromDoubleSolve(), Math.min(taken, 3));
    Statistics.label("restart exact").collect(exact);
  }

  private static <S, V, M> void compareEquilibria(
      Backend<S, V, M> be, NetworkSpec spec, double beta, boolean perturbGhosts, long seed) {
    Case<S, V, M> c = new Case<>(be, spec, perturbGhosts, seed);
    Stimulus<S, V> stim = c.stimulus(beta);
    Equilibrium<S, V> reference;
    try {
      reference = EquilibriumSolver.solve(c.net, stim);
    } catch (NoConvergenceException e) {
      Assume.that(false); // no reference to compare with (a perturbed net can lose its equilibrium)
      return;
    }
    RefinedNewtonSolver.Refined<S, V> fast = RefinedNewtonSolver.solve(
        c.net, c.approx, stim, c.net.inputDrive(c.x), c.net.forwardState(c.x));
    ScalarField<S> f = be.scalars();
    V zr = c.net.flatten(reference.state());
    V zf = c.net.flatten(fast.equilibrium().state());
    double diff = f.toDouble(be.normMax(be.minus(zr, zf)));
    double scale = 1 + f.toDouble(be.normMax(zr));
    double eps = f.toDouble(f.epsilon());
    assertThat(diff).as("%s beta %s perturbed %s: |z_fast - z_ref| = %s, %s eps (1 + |z|)", spec, beta,
        perturbGhosts, diff, diff / (eps * scale)).isLessThanOrEqualTo(AGREEMENT * eps * scale);
    // Its own error estimate is at the rounding level too.
    assertThat(f.toDouble(fast.correction())).isLessThanOrEqualTo(AGREEMENT * eps * scale);
    double errDiff = 0;
    for (int k = 1; k <= c.net.depth(); k++) {
      errDiff = Math.max(errDiff, f.toDouble(be.normMax(
          be.minus(reference.errors().at(k), fast.equilibrium().errors().at(k)))));
    }
    assertThat(errDiff).isLessThanOrEqualTo(AGREEMENT * eps * scale);
  }

  /** A network in one backend, its double twin for the Jacobian, optionally with perturbed ghosts. */
  static final class Case<S, V, M> {
    final Backend<S, V, M> be;
    final GhostNetwork<S, V, M> net;
    final GhostNetwork<Double, double[], DMatrixRMaj> approx;
    final V x;
    final V y;

    Case(Backend<S, V, M> be, NetworkSpec spec, boolean perturbGhosts, long seed) {
      this.be = be;
      this.net = new GhostNetwork<>(Model.paper(be), weights(be, spec, perturbGhosts, seed));
      this.approx = new GhostNetwork<>(Model.paper(DoubleBackend.INSTANCE),
          weights(DoubleBackend.INSTANCE, spec, perturbGhosts, seed));
      this.x = spec.x(be);
      this.y = spec.y(be);
    }

    Stimulus<S, V> stimulus(double beta) {
      return new Stimulus<>(x, y, be.scalars().fromDouble(beta));
    }

    void compareLinearResponse() {
      Stimulus<S, V> stim = stimulus(0);
      Equilibrium<S, V> free = EquilibriumSolver.solve(net, stim);
      LinearResponse.Response<V> dense = LinearResponse.at(net, free, stim);
      LinearResponse.Response<V> refined = LinearResponse.at(net, free, stim,
          RefinedNewtonSolver.linearSolver(net, approx, stim, free.state()));
      ScalarField<S> f = be.scalars();
      double eps = f.toDouble(f.epsilon());
      for (int k = 1; k <= net.depth(); k++) {
        double scale = 1 + f.toDouble(be.normMax(dense.eps().at(k)));
        double diff = f.toDouble(be.normMax(be.minus(dense.eps().at(k), refined.eps().at(k))));
        assertThat(diff).as("eps^%d: |refined - dense| = %s eps", k, diff / eps)
            .isLessThanOrEqualTo(AGREEMENT * eps * scale);
        double xiDiff = f.toDouble(be.normMax(be.minus(dense.xi().at(k), refined.xi().at(k))));
        assertThat(xiDiff).isLessThanOrEqualTo(AGREEMENT * eps * (1 + f.toDouble(be.normMax(dense.xi().at(k)))));
      }
    }

    private static <S, V, M> Weights<M> weights(Backend<S, V, M> be, NetworkSpec spec, boolean perturb, long seed) {
      Weights<M> ma = spec.weights(be);
      if (!perturb) {
        return ma;
      }
      Random rng = new Random(seed);
      ScalarField<S> f = be.scalars();
      Layers<M> gamma = ma.gamma().map(m -> be.matPlus(m, be.matrix(be.rows(m), be.cols(m),
          (i, j) -> f.fromDouble(0.3 * (2 * rng.nextDouble() - 1)))));
      Layers<M> omega = ma.omega().map(m -> be.matPlus(m, be.matrix(be.rows(m), be.cols(m),
          (i, j) -> f.fromDouble(0.3 * (2 * rng.nextDouble() - 1)))));
      return Weights.of(be, ma.feedback(), ma.w(), ma.b(), gamma, omega);
    }
  }

  @Provide
  Arbitrary<NetworkSpec> networks() {
    return Arbitraries.of(Feedback.TF, Feedback.FA).flatMap(fb -> Networks.random(fb, 0, 3, 6));
  }

  @Provide
  Arbitrary<Double> betas() {
    return Arbitraries.of(0.0, 1e-3, 0.1, 0.5, -0.1);
  }
}
