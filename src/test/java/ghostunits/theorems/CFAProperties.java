package ghostunits.theorems;

import ghostunits.model.Feedback;
import ghostunits.model.NetworkSpec;
import ghostunits.numeric.ApfloatBackend;
import ghostunits.numeric.DoubleBackend;
import ghostunits.testing.Networks;
import ghostunits.testing.Orders;
import ghostunits.theory.CfaSweep;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * C-FA in double: with fixed random feedback B, e^k(beta)/beta = -delta_FA^k + O(beta), order
 * checked layer by layer. The network relays B's signal, not backprop's.
 */
class CFAProperties {
  /** T1's half-decade grid (same estimate, same eps/beta floor). */
  static final double[] BETAS = {1e-2, 3e-3, 1e-3, 3e-4, 1e-4, 3e-5, 1e-5, 3e-6, 1e-6};

  @Property
  void errorOverBetaConvergesToMinusFaDeltaAtOrderOne(@ForAll("networks") NetworkSpec spec) {
    double[][] err = CfaSweep.errorOverBeta(DoubleBackend.INSTANCE, spec, BETAS).errors();
    double[] norms = CfaSweep.faDeltaNorms(DoubleBackend.INSTANCE, spec);
    for (int k = 1; k <= err.length; k++) {
      int layer = k;
      // A network still pre-asymptotic above double's floor is decided at 40 digits (Orders).
      Orders.assertAsymptoticOrder(spec + " layer " + k + " |e/beta + delta_FA|/|delta_FA|", BETAS, err[k - 1],
          Orders.quotientFloors(BETAS, norms[k - 1], Math.ulp(1.0)), 1.0, 0.1,
          () -> new Orders.Confirmation(Orders.CONFIRM_BETAS,
              CfaSweep.errorOverBeta(new ApfloatBackend(Orders.CONFIRM_DIGITS), spec, Orders.CONFIRM_BETAS)
                  .errors()[layer - 1],
              Orders.quotientFloors(Orders.CONFIRM_BETAS, norms[layer - 1], Orders.CONFIRM_EPS)));
    }
  }

  @Provide
  Arbitrary<NetworkSpec> networks() {
    return Networks.random(Feedback.FA);
  }
}
