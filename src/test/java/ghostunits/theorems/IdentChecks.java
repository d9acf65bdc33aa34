package ghostunits.theorems;

import static org.assertj.core.api.Assertions.assertThat;

import ghostunits.model.NetworkSpec;
import ghostunits.numeric.Backend;
import ghostunits.testing.RoundingBounds;
import ghostunits.theory.IdentSweep;
import ghostunits.theory.IdentSweep.Ident;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * The IDENT checks, written once for any backend (IdentProperties: double, IdentApfloatProperties:
 * 50 digits). Both identities are exact at an exact equilibrium; at the computed one they hold up
 * to its residual and the rounding of the two sides, which is what the tolerances below allow.
 */
final class IdentChecks {
  private IdentChecks() {}

  /** beta = +-10^u, u uniform in [-3, 0]: every decade of [1e-3, 1] equally, both signs. */
  static Arbitrary<Double> betas() {
    return Arbitraries.doubles().between(-3, 0).flatMap(u ->
        Arbitraries.of(1.0, -1.0).map(sign -> sign * Math.pow(10, u)));
  }

  /** Everything a check needs at one equilibrium. */
  private record At(Ident ident, RoundingBounds rb, double eps, double residual, double stateNorm, double noise,
      double ghostTolerance, String what) {}

  private static <S, V, M> At measure(Backend<S, V, M> be, NetworkSpec spec, double beta) {
    RoundingBounds rb = RoundingBounds.of(spec);
    double eps = RoundingBounds.eps(be);
    Ident ident = IdentSweep.measure(be, spec, new double[] {beta});
    double res = ident.residuals()[0];
    double z = ident.stateNorms()[0];
    double noise = rb.fieldNoise(z, beta) * eps;
    // g^k - (s^{k+1} - e^{k+1}) = F_s^{k+1} - F_g^k exactly (both contain W^{k+1} r^k), with the
    // exact field F; the computed field (max-norm res) differs from it, and the computed e^{k+1}
    // from the exact one, by at most the field's rounding (noise) each: 2 res + 3 noise. Computing
    // g - (s - e) rounds twice, by at most eps (3 |z| + 2 |e|), |e| <= drive + |beta|.
    double ghostTol = 2 * res + 3 * noise + eps * (3 * z + 2 * (rb.drive() + Math.abs(beta)));
    String what = spec + " (" + be.scalars().name() + "), beta " + beta + ", residual " + res + ", |z| " + z
        + ", tolerance " + ghostTol + ": " + ident.ghostDefect() + "; " + ident.shift();
    // Newton's stopping rule (EquilibriumSolver, specs/model.md 6.3): the residual is at rounding
    // level, so the tolerances above are too (they are not stretched by a poor solve).
    assertThat(res).as("equilibrium residual within the solver's threshold 1000 eps (1 + |z|): " + what)
        .isLessThanOrEqualTo(1000 * eps * (1 + z));
    // Not vacuous: the identity tells g = s - e from g = s only where e^{k+1} is well above the
    // tolerance. At the top hidden layer e^N = beta (y - r^N) with |beta| >= 1e-3 and y drawn
    // independently of r^N: max_i |y_i - r_i| < 1e-7 has probability below 1e-6.
    int top = ident.shift().layers();
    assertThat(ident.shift().layer(top)[0]).as("|e^N| is far above the tolerance: " + what)
        .isGreaterThan(100 * ghostTol);
    return new At(ident, rb, eps, res, z, noise, ghostTol, what);
  }

  static <S, V, M> void ghostEqualsSomaMinusError(Backend<S, V, M> be, NetworkSpec spec, double beta) {
    At at = measure(be, spec, beta);
    for (int k = 1; k <= at.ident().ghostDefect().layers(); k++) {
      assertThat(at.ident().ghostDefect().layer(k)[0]).as("layer " + k + ": |g^k - (s^{k+1} - e^{k+1})|, " + at.what())
          .isLessThanOrEqualTo(at.ghostTolerance());
    }
  }

  static <S, V, M> void errorEqualsFeedbackOfRateDifference(Backend<S, V, M> be, NetworkSpec spec, double beta) {
    At at = measure(be, spec, beta);
    RoundingBounds rb = at.rb();
    double eps = at.eps();
    double fb = rb.feedbackRowSum();
    // Exact values: e^k = B^k (rho(s^{k+1}) - rho(g^k)) (Omega^k = B^k) and the prediction
    // B^k (rho(s^{k+1}) - rho(s^{k+1} - e^{k+1})) differ by at most L rowsum|B| times the exact
    // ghost defect (2 res + 3 noise, see measure). Roundings: the computed e^k is within noise of
    // its exact value; the prediction's argument s - e rounds by eps (|z| + drive + |beta|)
    // (through L), its two rates by 3 eps each, their difference by eps, the product with B^k by
    // nMax eps (all times rowsum|B|, rate differences <= 1); the final difference by
    // eps (drive + rowsum|B|).
    double tol = 0.25 * fb * (2 * at.residual() + 3 * at.noise()) + at.noise()
        + eps * fb * (0.25 * (at.stateNorm() + rb.drive() + Math.abs(beta)) + rb.maxWidth() + 8)
        + eps * (rb.drive() + fb);
    for (int k = 1; k <= at.ident().errorDefect().layers(); k++) {
      assertThat(at.ident().errorDefect().layer(k)[0]).as("layer " + k
          + ": |e^k - B^k (rho(s^{k+1}) - rho(s^{k+1} - e^{k+1}))|, tolerance " + tol + ", "
          + at.ident().errorDefect() + ", " + at.what()).isLessThanOrEqualTo(tol);
    }
  }
}
