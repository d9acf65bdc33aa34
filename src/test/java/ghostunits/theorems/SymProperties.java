package ghostunits.theorems;

import ghostunits.model.Feedback;
import ghostunits.model.NetworkSpec;
import ghostunits.numeric.DoubleBackend;
import ghostunits.testing.Networks;
import ghostunits.testing.Orders;
import ghostunits.theory.SymSweep;
import ghostunits.theory.T1Sweep;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * SYM in double: (e^k(beta) - e^k(-beta)) / (2 beta) = -delta^k + O(beta^2), order 2 checked layer
 * by layer. The truncation error falls as beta^2 while the hidden layers' rounding grows as
 * eps/beta, so the usable range ends near beta ~ 1e-3 (SYM.md): the grid starts a decade higher
 * than T1's.
 */
class SymProperties {
  static final double[] BETAS = {1e-1, 3e-2, 1e-2, 3e-3, 1e-3, 3e-4, 1e-4, 3e-5, 1e-5};

  /**
   * Hidden layers: the numerator subtracts two errors that each carry e^k's absolute rounding, so
   * the quotient has e/beta's floor. Output: e^N(beta) - e^N(-beta) = beta ((y - r^N(beta)) +
   * (y - r^N(-beta))) adds two products, and only the state's rounding remains.
   */
  @Property
  void symmetricEstimateConvergesAtOrderTwo(@ForAll("networks") NetworkSpec spec) {
    double[][] err = SymSweep.symmetric(DoubleBackend.INSTANCE, spec, BETAS).errors();
    double[] deltaNorms = T1Sweep.deltaNorms(DoubleBackend.INSTANCE, spec);
    int n = err.length;
    for (int k = 1; k <= n; k++) {
      double[] floors = k < n
          ? Orders.quotientFloors(BETAS, deltaNorms[k - 1], Math.ulp(1.0))
          : Orders.productFloors(BETAS, Orders.outputScale(spec), deltaNorms[k - 1], Math.ulp(1.0));
      Orders.assertAsymptoticOrder(spec + " layer " + k + " |(e(b) - e(-b))/(2b) + delta|/|delta|", BETAS,
          err[k - 1], floors, 2.0, 0.2);
    }
  }

  @Provide
  Arbitrary<NetworkSpec> networks() {
    return Networks.random(Feedback.TF);
  }
}
