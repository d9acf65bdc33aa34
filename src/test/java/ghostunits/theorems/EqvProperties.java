package ghostunits.theorems;

import static org.assertj.core.api.Assertions.assertThat;

import ghostunits.dynamics.TimeStep;
import ghostunits.model.Feedback;
import ghostunits.model.NetworkSpec;
import ghostunits.numeric.ApfloatBackend;
import ghostunits.numeric.Backend;
import ghostunits.numeric.DoubleBackend;
import ghostunits.testing.Networks;
import ghostunits.testing.RoundingBounds;
import ghostunits.theory.EqvSweep;
import ghostunits.theory.EqvSweep.Agreement;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;

/**
 * EQV (specs/model.md 8; T0.md step 4): an Euler run to rest and the Newton solver find the same
 * nudged equilibrium, TF and FA.
 */
class EqvProperties {
  /** Field max-norm at which an Euler run counts as at rest (double). */
  static final double FIELD_TOLERANCE = 1e-13;

  /** Far above what any run here needs (measured: a few hundred steps); a run that stalls throws. */
  static final int MAX_STEPS = 20_000;

  @Property
  void eulerRunToConvergenceAgreesWithSolver(
      @ForAll("networks") NetworkSpec spec,
      @ForAll @DoubleRange(min = 0.01, max = 1.0) double beta,
      @ForAll @DoubleRange(min = 0.2, max = 1.0) double h) {
    check(DoubleBackend.INSTANCE, spec, beta, h, FIELD_TOLERANCE);
  }

  /** The same at 50 digits, run to a field of 1e-45, on one small seeded network. */
  @Example
  void eulerRunToConvergenceAgreesWithSolverInApfloat() {
    NetworkSpec spec = NetworkSpec.random(new Random(3), Feedback.TF, new int[] {4, 3, 3, 2}, 1.0);
    check(new ApfloatBackend(50), spec, 0.1, 0.5, 1e-45);
  }

  private static <S, V, M> void check(Backend<S, V, M> be, NetworkSpec spec, double beta, double h, double fieldTol) {
    Agreement a = EqvSweep.eulerVsNewton(be, spec, beta, TimeStep.ofRatio(h), fieldTol, MAX_STEPS);
    RoundingBounds rb = RoundingBounds.of(spec);
    double eps = RoundingBounds.eps(be);
    double kappa = rb.kappaAtEquilibrium(beta);
    double noise = rb.fieldNoise(a.stateNorm(), beta) * eps;
    // To first order |z - z*| <= kappa |F(z)| (kappa = max row sum of |J^{-1}| at the equilibrium).
    // Euler stopped with a computed field <= fieldTol, so its exact field is <= fieldTol + noise;
    // Newton's state is within kappa noise (its limiting accuracy); eps |z| each for the last update.
    double tol = kappa * (fieldTol + 2 * noise) + 2 * eps * a.stateNorm();
    assertThat(a.deviation()).as(spec + " (" + be.scalars().name() + "), beta " + beta + ", h " + h
        + ": |z_Euler - z_Newton|, kappa " + kappa + ", |z| " + a.stateNorm()).isLessThanOrEqualTo(tol);
  }

  @Provide
  Arbitrary<NetworkSpec> networks() {
    return Arbitraries.oneOf(Networks.random(Feedback.TF), Networks.random(Feedback.FA));
  }
}
