package ghostunits.theorems;

import ghostunits.model.Feedback;
import ghostunits.model.NetworkSpec;
import ghostunits.numeric.ApfloatBackend;
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
      int layer = k;
      // As T1: a network still pre-asymptotic where double's floor begins is decided by the
      // 40-digit sweep, which goes on below this grid (none met yet; T2b's was found by a stress run).
      Orders.assertAsymptoticOrder(spec + " layer " + k + " |(e(b) - e(-b))/(2b) + delta|/|delta|", BETAS,
          err[k - 1], floors, 2.0, 0.2, () -> confirm(spec, layer, deltaNorms[layer - 1]));
    }
  }

  /** BETAS, then on down to 1e-8: at 40 digits the beta^2 error stays far above the floor there. */
  static final double[] CONFIRM_BETAS = Orders.continued(BETAS, 3e-6, 1e-6, 3e-7, 1e-7, 3e-8, 1e-8);

  /** The 40-digit sweep of the same network and layer, with its floors (Orders, Supplier form). */
  static Orders.Confirmation confirm(NetworkSpec spec, int layer, double deltaNorm) {
    double[][] err = SymSweep.symmetric(new ApfloatBackend(Orders.CONFIRM_DIGITS), spec, CONFIRM_BETAS).errors();
    double[] floors = layer < err.length
        ? Orders.quotientFloors(CONFIRM_BETAS, deltaNorm, Orders.CONFIRM_EPS)
        : Orders.productFloors(CONFIRM_BETAS, Orders.outputScale(spec), deltaNorm, Orders.CONFIRM_EPS);
    return new Orders.Confirmation(CONFIRM_BETAS, err[layer - 1], floors);
  }

  @Provide
  Arbitrary<NetworkSpec> networks() {
    return Networks.random(Feedback.TF);
  }
}
