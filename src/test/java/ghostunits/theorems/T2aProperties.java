package ghostunits.theorems;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ghostunits.dynamics.Stimulus;
import ghostunits.model.Feedback;
import ghostunits.model.Model;
import ghostunits.model.ModelB;
import ghostunits.model.Weights;
import ghostunits.numeric.DoubleBackend;
import ghostunits.plasticity.FastGhostCancellation;
import ghostunits.testing.ModelBNetworks;
import ghostunits.theory.T2aCheck;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.ejml.data.DMatrixRMaj;

/**
 * T2a in double (proofs-notes/T2a.md): once Omega cancels the feedback for the presented example,
 * the MLP state is a free equilibrium with e = 0 (a); a free equilibrium with e = 0 is the MLP state
 * (b); and the fast rule eq. 15, run as the paper runs it, gets there and agrees with its
 * least-change fast path.
 */
class T2aProperties {
  static final DoubleBackend D = DoubleBackend.INSTANCE;
  static final Model<Double, double[], DMatrixRMaj> MODEL = Model.paper(D);
  static final double EPS = Math.ulp(1.0);
  /** The fast rule stops when every hidden |e^k| is at most this. */
  static final double STOP = 1e-12;

  /** Claim (a) with Omega from the least-change formula. */
  @Property
  void mlpStateIsFreeEquilibriumWithZeroErrors(@ForAll("networks") ModelB spec) {
    T2aCheck.AtMlp at = T2aCheck.leastChangeAtMlp(D, spec);
    assertMlpIsEquilibrium(spec.toString(), at, spec.ghosts(), EPS);
  }

  /**
   * Rounding bounds: (H2)'s residual is a difference of two terms of size cancellationScale, each a
   * sum of m_k + 1 rounded products; the field at z_hat is exactly -s_hat + W r_hat (zero: the same
   * products as the forward pass) plus e, so it is bounded by the same residual.
   */
  static void assertMlpIsEquilibrium(String ctx, T2aCheck.AtMlp at, int[] ghosts, double eps) {
    double worst = 0;
    for (int k = 0; k < ghosts.length; k++) {
      double tol = 4 * (ghosts[k] + 4) * eps * at.cancellationScale()[k];
      assertThat(at.cancellation()[k]).as(ctx + " (H2) residual, hidden layer " + (k + 1)).isLessThanOrEqualTo(tol);
      worst = Math.max(worst, tol);
    }
    assertThat(at.fieldAtMlp()).as(ctx + " |F(z_hat)|").isLessThanOrEqualTo(worst);
    assertThat(at.eulerMove()).as(ctx + " one Euler step (h = 1) from z_hat").isLessThanOrEqualTo(worst);
    assertThat(at.newtonIterations()).as(ctx + " Newton iterations from z_hat").isLessThanOrEqualTo(1);
  }

  /**
   * Eq. 15 as the paper runs it, two ways (rounds of free relaxation + Omega step; Omega learning
   * during the Euler steps), until every hidden |e^k| <= 1e-12. Then claim (b): the state reached is
   * the MLP state within the bound of the proof's upward induction, and (H2) holds at the MLP state
   * within the Lipschitz bound. Agreement with the least-change fast path: both satisfy (H2); the
   * least-change Omega is the one nearest the start (Frobenius); for m_k = 1 the solution is unique,
   * so all three Omegas coincide.
   */
  @Property(tries = 60)
  void fastRuleReachesCancellationAndAgreesWithLeastChange(@ForAll("networks") ModelB spec) {
    Weights<DMatrixRMaj> start = spec.weights(D);
    double[] x = spec.x(D);
    Stimulus<Double, double[]> free = new Stimulus<>(x, spec.y(D), 0.0);
    double eta = 1.0 / Arrays.stream(spec.ghosts()).max().orElseThrow();
    FastGhostCancellation.Fit<Double, double[], DMatrixRMaj> rounds =
        converged(() -> FastGhostCancellation.iterate(MODEL, start, free, eta, STOP, 50_000));
    FastGhostCancellation.Fit<Double, double[], DMatrixRMaj> euler =
        converged(() -> FastGhostCancellation.duringEuler(MODEL, start, free, 0.5, eta, STOP, 200_000));
    assertFit(spec + " rounds", T2aCheck.fit(MODEL, start, rounds.weights(), free, rounds.state()), STOP, EPS);
    assertFit(spec + " during Euler", T2aCheck.fit(MODEL, start, euler.weights(), free, euler.state()), STOP, EPS);
  }

  /** Eq. 15 is a free-phase rule: both ways of running it refuse a nudged example, naming its beta. */
  @Property(tries = 10)
  void fastRuleRefusesANudgedExample(@ForAll("networks") ModelB spec) {
    Weights<DMatrixRMaj> start = spec.weights(D);
    Stimulus<Double, double[]> nudged = new Stimulus<>(spec.x(D), spec.y(D), 0.25);
    assertThatThrownBy(() -> FastGhostCancellation.iterate(MODEL, start, nudged, 1.0, STOP, 10))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("beta = 0.25");
    assertThatThrownBy(() -> FastGhostCancellation.duringEuler(MODEL, start, nudged, 0.5, 1.0, STOP, 10))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("beta = 0.25");
  }

  /**
   * T2a is about the state after the fast rule has converged; on rare networks it does not (seen:
   * about 1 in 400 random 6-6-6-6-6 networks with U(-1, 1) weights, where the rounds variant meets a
   * singular free-phase Jacobian and eq. 15 during Euler stalls with |e| between 1e-6 and 0.7 after
   * 200,000 steps; none in 3000 draws of this generator's mix). Such a try is discarded, which jqwik
   * bounds (it fails the property when discards outnumber checks five to one).
   */
  static <T> T converged(java.util.function.Supplier<T> fit) {
    try {
      return fit.get();
    } catch (ghostunits.dynamics.NoConvergenceException e) {
      Assume.that(false);
      throw new AssertionError("unreachable", e);
    }
  }

  /**
   * T2a(b) and the agreement with least change, for a fit whose hidden errors are at most stop,
   * at working precision eps (rounding slack 64 eps on every bound).
   */
  static void assertFit(String ctx, T2aCheck.FitReport r, double stop, double eps) {
    T2aCheck.Distance dist = r.distance();
    String c = ctx + " " + dist;
    double slack = 64 * eps;
    // The bounds are computed in double from the backend's values: at 50 digits they can be tight to
    // double's last bits (m_k = 1: the difference is exactly the bound), so allow double's rounding too.
    double rel = 1 + 1e-14;
    assertThat(dist.hiddenError()).as(c).isLessThanOrEqualTo(stop);
    assertThat(dist.somaDistance()).as(c + " (b) soma").isLessThanOrEqualTo(dist.somaBound() * rel + slack);
    assertThat(dist.ghostDistance()).as(c + " (b) ghosts").isLessThanOrEqualTo(dist.ghostBound() * rel + slack);
    for (int k = 1; k <= r.cancellation().length; k++) {
      int i = k - 1;
      assertThat(r.cancellation()[i]).as(c + " (H2) at the MLP state, layer " + k)
          .isLessThanOrEqualTo(r.cancellationBound()[i] * rel);
      assertThat(r.fitChange()[i]).as(c + " least change is nearest the start, layer " + k)
          .isGreaterThanOrEqualTo((r.leastChange()[i] - r.nearestSlack()[i]) / rel - slack * (1 + r.leastChange()[i]));
      if (!Double.isNaN(r.uniqueDifference()[i])) {
        assertThat(r.uniqueDifference()[i]).as(c + " m_k = 1: unique Omega, layer " + k)
            .isLessThanOrEqualTo(r.uniqueBound()[i] * rel + slack * (1 + r.leastChange()[i] + r.fitChange()[i]));
      }
    }
  }

  @Provide
  Arbitrary<ModelB> networks() {
    return Arbitraries.of(Feedback.values()).flatMap(ModelBNetworks::random);
  }
}
