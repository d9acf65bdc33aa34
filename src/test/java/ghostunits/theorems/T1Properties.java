package ghostunits.theorems;

import static org.assertj.core.api.Assertions.assertThat;

import ghostunits.model.Feedback;
import ghostunits.model.NetworkSpec;
import ghostunits.numeric.DoubleBackend;
import ghostunits.testing.Networks;
import ghostunits.testing.Orders;
import ghostunits.theory.LinearResponse;
import ghostunits.theory.Probe;
import ghostunits.theory.T1Sweep;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.ejml.data.DMatrixRMaj;

/** T1 in double: e^k(beta)/beta = -delta^k + O(beta), order checked layer by layer. */
class T1Properties {
  /** Down to 1e-5: the rounding floor eps/beta (FLOOR) stays far below the O(beta) term here. */
  static final double[] BETAS = {1e-2, 1e-3, 1e-4, 1e-5};

  @Property
  void errorOverBetaConvergesToMinusDeltaAtOrderOne(@ForAll("networks") NetworkSpec spec) {
    double[][] err = T1Sweep.errorOverBeta(DoubleBackend.INSTANCE, spec, BETAS).errors();
    double[] deltaNorms = T1Sweep.deltaNorms(DoubleBackend.INSTANCE, spec);
    for (int k = 1; k <= err.length; k++) {
      Orders.assertOrderAboveFloor(spec + " layer " + k + " |e/beta + delta|/|delta|", BETAS, err[k - 1],
          deltaNorms[k - 1], Math.ulp(1.0), 1.0, 0.1);
    }
  }

  /**
   * s(beta) - s_hat is not a quotient, so it has no 1/beta rounding floor and smaller betas are
   * usable; they are needed because a narrow layer can make the first-order coefficient small
   * against the second-order one (order 0.83 between 1e-2 and 1e-3 on a 7-1-5 net).
   */
  static final double[] SOMA_BETAS = {1e-3, 1e-4, 1e-5, 1e-6};

  @Property
  void somaConvergesToMlpAtOrderOne(@ForAll("networks") NetworkSpec spec) {
    double[][] err = T1Sweep.soma(DoubleBackend.INSTANCE, spec, SOMA_BETAS).errors();
    for (int k = 1; k <= err.length; k++) {
      Orders.assertOrder(spec + " layer " + k + " |s(beta) - s_hat|", SOMA_BETAS, err[k - 1], 1.0, 0.1);
    }
  }

  /** The exact first-order response of MA (one linear solve with the dynamics' Jacobian) is -delta. */
  @Property
  void linearResponseOfMaEqualsMinusDelta(@ForAll("networks") NetworkSpec spec) {
    Probe<Double, double[], DMatrixRMaj> p = new Probe<>(DoubleBackend.INSTANCE, spec);
    LinearResponse.Response<double[]> lr = LinearResponse.at(p.net, p.equilibrium(0.0), p.stimulus(0.0));
    for (int k = 1; k <= p.net.depth(); k++) {
      double diff = p.norm(p.backend.plus(lr.eps().at(k), p.delta.at(k)));
      assertThat(diff).as(spec + " layer " + k + ": |eps + delta|, |delta| = " + p.norm(p.delta.at(k)))
          .isLessThanOrEqualTo(1e-13 * p.norm(p.delta.at(k)) + 1e-300);
    }
  }

  @Provide
  Arbitrary<NetworkSpec> networks() {
    return Networks.random(Feedback.TF);
  }
}
