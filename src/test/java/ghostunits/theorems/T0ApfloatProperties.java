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
import net.jqwik.api.constraints.DoubleRange;

/**
 * T0 at 50 digits: the same checks as {@link T0Properties}, with tolerances at eps = 1e-49, so a
 * double slipping into the computation (1e-16) or any non-rounding error shows. Here the 2N - 1
 * count is also shown to be attained (2N - 2 steps are not enough).
 */
class T0ApfloatProperties {
  static final ApfloatBackend AP = new ApfloatBackend(50);

  @Property(tries = 8)
  void freeEquilibriumIsMlpForwardPass(@ForAll("networks") NetworkSpec spec, @ForAll long seed) {
    T0Checks.freeEquilibriumIsMlpForwardPass(AP, spec, seed);
  }

  @Property(tries = 8)
  void eulerWithUnitStepReachesMlpIn2NMinus1Steps(@ForAll("networks") NetworkSpec spec, @ForAll long seed) {
    T0Checks.eulerWithUnitStepReachesMlpIn2NMinus1Steps(AP, spec, seed, true);
  }

  /** h from 0.25 up: at 50 digits h = 0.05 would take about 2000 steps per run. */
  @Property(tries = 5)
  void eulerWithSmallStepConverges(
      @ForAll("networks") NetworkSpec spec, @ForAll long seed,
      @ForAll @DoubleRange(min = 0.25, max = 1.0, maxIncluded = false) double h) {
    T0Checks.eulerWithSmallStepConverges(AP, spec, seed, h);
  }

  @Property(tries = 8)
  void ghostMismatchObeysLinearDecay(
      @ForAll("networks") NetworkSpec spec, @ForAll long seed,
      @ForAll @DoubleRange(min = 0.0, minIncluded = false, max = 1.0) double h) {
    T0Checks.ghostMismatchObeysLinearDecay(AP, spec, seed, h);
  }

  @Provide
  Arbitrary<NetworkSpec> networks() {
    return Arbitraries.oneOf(Networks.random(Feedback.TF, 1, 3, 5), Networks.random(Feedback.FA, 1, 3, 5));
  }
}
