package ghostunits.theorems;

import ghostunits.model.Feedback;
import ghostunits.model.NetworkSpec;
import ghostunits.numeric.ApfloatBackend;
import ghostunits.testing.Networks;
import ghostunits.testing.Orders;
import ghostunits.theory.SymSweep;
import ghostunits.theory.T1Sweep;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * SYM at 80 digits. Measuring an O(beta^2) error to q digits under an eps/beta floor needs
 * p >= 3 log10(1/beta) + q (SYM.md), so the grid stops at 1e-20 (about 20 digits resolved there);
 * at 1e-30 the floor, 1e-49, would lie above the truncation error, 1e-60.
 */
class SymApfloatProperties {
  static final long DIGITS = 80;
  static final double EPS = 1e-79;
  static final double[] BETAS = {1e-2, 1e-5, 1e-10, 1e-15, 1e-20};

  @Property(tries = 5)
  void symmetricEstimateConvergesAtOrderTwo(@ForAll("networks") NetworkSpec spec) {
    ApfloatBackend be = new ApfloatBackend(DIGITS);
    double[][] err = SymSweep.symmetric(be, spec, BETAS).errors();
    double[] deltaNorms = T1Sweep.deltaNorms(be, spec);
    for (int k = 1; k <= err.length; k++) {
      // The quotient floor at every layer: at the output it over-estimates, which only costs betas.
      Orders.assertAsymptoticOrder(spec + " layer " + k + " |(e(b) - e(-b))/(2b) + delta|/|delta|", BETAS,
          err[k - 1], Orders.quotientFloors(BETAS, deltaNorms[k - 1], EPS), 2.0, 0.1);
    }
  }

  @Provide
  Arbitrary<NetworkSpec> networks() {
    return Networks.random(Feedback.TF, 1, 3, 5);
  }
}
