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
import net.jqwik.api.constraints.DoubleRange;

/**
 * T0 in double (proofs-notes/T0.md): in Model A's free phase the network relaxes to the MLP
 * state from any start, for TF and FA feedback alike (T0 uses no property of B). Starts are
 * drawn around z_hat with every entry displaced, so no check starts where it should end.
 */
class T0Properties {
  @Property
  void freeEquilibriumIsMlpForwardPass(@ForAll("networks") NetworkSpec spec, @ForAll long seed) {
    T0Checks.freeEquilibriumIsMlpForwardPass(DoubleBackend.INSTANCE, spec, seed);
  }

  @Property
  void eulerWithUnitStepReachesMlpIn2NMinus1Steps(@ForAll("networks") NetworkSpec spec, @ForAll long seed) {
    T0Checks.eulerWithUnitStepReachesMlpIn2NMinus1Steps(DoubleBackend.INSTANCE, spec, seed, false);
  }

  @Property
  void eulerWithSmallStepConverges(
      @ForAll("networks") NetworkSpec spec, @ForAll long seed,
      @ForAll @DoubleRange(min = 0.05, max = 1.0, maxIncluded = false) double h) {
    T0Checks.eulerWithSmallStepConverges(DoubleBackend.INSTANCE, spec, seed, h);
  }

  /** h = 1 included: there the law reads d' = e^{k+1} (T0.md step 15). */
  @Property
  void ghostMismatchObeysLinearDecay(
      @ForAll("networks") NetworkSpec spec, @ForAll long seed,
      @ForAll @DoubleRange(min = 0.0, minIncluded = false, max = 1.0) double h) {
    T0Checks.ghostMismatchObeysLinearDecay(DoubleBackend.INSTANCE, spec, seed, h);
  }

  @Provide
  Arbitrary<NetworkSpec> networks() {
    return Arbitraries.oneOf(Networks.random(Feedback.TF), Networks.random(Feedback.FA));
  }
}
