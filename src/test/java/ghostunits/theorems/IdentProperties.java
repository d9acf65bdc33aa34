package ghostunits.theorems;

import ghostunits.model.Feedback;
import ghostunits.model.NetworkSpec;
import ghostunits.numeric.DoubleBackend;
import ghostunits.testing.Networks;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * IDENT in double (proofs-notes/IDENT.md): at every equilibrium of Model A, any beta of either
 * sign, g^k = s^{k+1} - e^{k+1} and e^k = B^k (rho(s^{k+1}) - rho(s^{k+1} - e^{k+1})); TF and FA.
 */
class IdentProperties {
  @Property
  void errorEqualsFeedbackOfRateDifference(@ForAll("networks") NetworkSpec spec, @ForAll("betas") double beta) {
    IdentChecks.errorEqualsFeedbackOfRateDifference(DoubleBackend.INSTANCE, spec, beta);
  }

  @Property
  void ghostEqualsSomaMinusError(@ForAll("networks") NetworkSpec spec, @ForAll("betas") double beta) {
    IdentChecks.ghostEqualsSomaMinusError(DoubleBackend.INSTANCE, spec, beta);
  }

  @Provide
  Arbitrary<NetworkSpec> networks() {
    return Arbitraries.oneOf(Networks.random(Feedback.TF), Networks.random(Feedback.FA));
  }

  @Provide
  Arbitrary<Double> betas() {
    return IdentChecks.betas();
  }
}
