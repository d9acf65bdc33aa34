package ghostunits.theorems;

import ghostunits.model.Feedback;
import ghostunits.model.NetworkSpec;
import ghostunits.numeric.ApfloatBackend;
import ghostunits.testing.Networks;
import ghostunits.testing.Orders;
import ghostunits.theory.T1Sweep;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * T1 at 80 digits, beta down to 1e-30: the one-sided estimate's rounding error is about
 * 10^-80 / beta = 1e-50 there, far below the O(beta) term, so the order-1 law is seen over
 * 28 decades that double cannot reach (FLOOR).
 */
class T1ApfloatProperties {
  static final long DIGITS = 80;
  static final double[] BETAS = {1e-2, 1e-6, 1e-12, 1e-20, 1e-30};

  @Property(tries = 8)
  void errorOverBetaConvergesToMinusDeltaAtOrderOne(@ForAll("networks") NetworkSpec spec) {
    double[][] err = T1Sweep.errorOverBeta(new ApfloatBackend(DIGITS), spec, BETAS).errors();
    for (int k = 1; k <= err.length; k++) {
      Orders.assertAsymptoticOrder(spec + " layer " + k + " |e/beta + delta|/|delta|", BETAS, err[k - 1],
          Orders.quotientFloors(BETAS, 1e-3, 1e-79), 1.0, 0.05);
    }
  }

  @Property(tries = 8)
  void somaConvergesToMlpAtOrderOne(@ForAll("networks") NetworkSpec spec) {
    double[][] err = T1Sweep.soma(new ApfloatBackend(DIGITS), spec, BETAS).errors();
    for (int k = 1; k <= err.length; k++) {
      Orders.assertAsymptoticOrder(spec + " layer " + k + " |s(beta) - s_hat|", BETAS, err[k - 1],
          Orders.differenceFloors(BETAS, 10, 1e-79), 1.0, 0.05);
    }
  }

  @Provide
  Arbitrary<NetworkSpec> networks() {
    return Networks.random(Feedback.TF, 1, 3, 5);
  }
}
