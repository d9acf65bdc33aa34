package ghostunits.theorems;

import ghostunits.model.Feedback;
import ghostunits.model.NetworkSpec;
import ghostunits.numeric.ApfloatBackend;
import ghostunits.testing.Networks;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** IDENT at 50 digits: the same checks as {@link IdentProperties}, with tolerances at eps = 1e-49. */
class IdentApfloatProperties {
  static final ApfloatBackend AP = new ApfloatBackend(50);

  @Property(tries = 8)
  void errorEqualsFeedbackOfRateDifference(@ForAll("networks") NetworkSpec spec, @ForAll("betas") double beta) {
    IdentChecks.errorEqualsFeedbackOfRateDifference(AP, spec, beta);
  }

  @Property(tries = 8)
  void ghostEqualsSomaMinusError(@ForAll("networks") NetworkSpec spec, @ForAll("betas") double beta) {
    IdentChecks.ghostEqualsSomaMinusError(AP, spec, beta);
  }

  @Provide
  Arbitrary<NetworkSpec> networks() {
    return Arbitraries.oneOf(Networks.random(Feedback.TF, 1, 3, 5), Networks.random(Feedback.FA, 1, 3, 5));
  }

  @Provide
  Arbitrary<Double> betas() {
    return IdentChecks.betas();
  }
}
