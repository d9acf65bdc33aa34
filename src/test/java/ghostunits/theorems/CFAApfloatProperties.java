package ghostunits.theorems;

import ghostunits.model.Feedback;
import ghostunits.model.NetworkSpec;
import ghostunits.numeric.ApfloatBackend;
import ghostunits.testing.Networks;
import ghostunits.testing.Orders;
import ghostunits.theory.CfaSweep;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** C-FA at 80 digits, beta down to 1e-30 (rounding floor about 1e-49 there). */
class CFAApfloatProperties {
  static final long DIGITS = 80;
  static final double EPS = 1e-79;
  static final double[] BETAS = {1e-2, 1e-6, 1e-12, 1e-20, 1e-30};

  @Property(tries = 8)
  void errorOverBetaConvergesToMinusFaDeltaAtOrderOne(@ForAll("networks") NetworkSpec spec) {
    ApfloatBackend be = new ApfloatBackend(DIGITS);
    double[][] err = CfaSweep.errorOverBeta(be, spec, BETAS).errors();
    double[] norms = CfaSweep.faDeltaNorms(be, spec);
    for (int k = 1; k <= err.length; k++) {
      Orders.assertAsymptoticOrder(spec + " layer " + k + " |e/beta + delta_FA|/|delta_FA|", BETAS, err[k - 1],
          Orders.quotientFloors(BETAS, norms[k - 1], EPS), 1.0, 0.05);
    }
  }

  @Provide
  Arbitrary<NetworkSpec> networks() {
    return Networks.random(Feedback.FA, 1, 3, 5);
  }
}
