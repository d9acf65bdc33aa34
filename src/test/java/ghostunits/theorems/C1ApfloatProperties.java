package ghostunits.theorems;

import ghostunits.model.Feedback;
import ghostunits.model.NetworkSpec;
import ghostunits.numeric.ApfloatBackend;
import ghostunits.testing.Networks;
import ghostunits.testing.Orders;
import ghostunits.theory.C1Sweep;
import ghostunits.theory.C1Sweep.Rule;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * C1 at 80 digits, beta down to 1e-30: the eps/beta floor of both forms is about 1e-49 there, so
 * the order-1 law of the weight update is seen far below double's floor.
 */
class C1ApfloatProperties {
  static final long DIGITS = 80;
  static final double EPS = 1e-79;
  static final double[] BETAS = {1e-2, 1e-6, 1e-12, 1e-20, 1e-30};

  @Property(tries = 5)
  void rateDifferenceRuleConvergesToGradientAtOrderOne(@ForAll("networks") NetworkSpec spec) {
    check(spec, Rule.RATE_DIFFERENCE);
  }

  @Property(tries = 5)
  void firstOrderRuleConvergesToGradientAtOrderOne(@ForAll("networks") NetworkSpec spec) {
    check(spec, Rule.FIRST_ORDER);
  }

  /** Both forms against the quotient floor at every layer (the larger of the two floors). */
  private static void check(NetworkSpec spec, Rule rule) {
    ApfloatBackend be = new ApfloatBackend(DIGITS);
    double[][] err = C1Sweep.gradientError(be, spec, rule, BETAS).errors();
    double[] gradNorms = C1Sweep.gradientNorms(be, spec);
    for (int k = 1; k <= err.length; k++) {
      Orders.assertAsymptoticOrder(spec + " layer " + k + " " + rule + " |-dW - dC/dW|/|dC/dW|", BETAS,
          err[k - 1], Orders.quotientFloors(BETAS, gradNorms[k - 1], EPS), 1.0, 0.05);
    }
  }

  @Provide
  Arbitrary<NetworkSpec> networks() {
    return Networks.random(Feedback.TF, 1, 3, 5);
  }
}
