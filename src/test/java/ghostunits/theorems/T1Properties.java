package ghostunits.theorems;

import static org.assertj.core.api.Assertions.assertThat;

import ghostunits.model.Feedback;
import ghostunits.model.NetworkSpec;
import ghostunits.numeric.ApfloatBackend;
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
  /**
   * Half-decade steps: the order is asserted on the tail above the rounding floor (see Orders),
   * and a finer grid keeps that tail a full decade below the pre-asymptotic betas.
   */
  static final double[] BETAS = {1e-2, 3e-3, 1e-3, 3e-4, 1e-4, 3e-5, 1e-5, 3e-6, 1e-6};

  @Property
  void errorOverBetaConvergesToMinusDeltaAtOrderOne(@ForAll("networks") NetworkSpec spec) {
    double[][] err = T1Sweep.errorOverBeta(DoubleBackend.INSTANCE, spec, BETAS).errors();
    double[] deltaNorms = T1Sweep.deltaNorms(DoubleBackend.INSTANCE, spec);
    for (int k = 1; k <= err.length; k++) {
      int layer = k;
      Orders.assertAsymptoticOrder(spec + " layer " + k + " |e/beta + delta|/|delta|", BETAS, err[k - 1],
          Orders.quotientFloors(BETAS, deltaNorms[k - 1], Math.ulp(1.0)), 1.0, 0.1,
          () -> new Orders.Confirmation(Orders.CONFIRM_BETAS,
              T1Sweep.errorOverBeta(new ApfloatBackend(Orders.CONFIRM_DIGITS), spec, Orders.CONFIRM_BETAS)
                  .errors()[layer - 1],
              Orders.quotientFloors(Orders.CONFIRM_BETAS, deltaNorms[layer - 1], Orders.CONFIRM_EPS)));
    }
  }

  /** s(beta) - s_hat is not a quotient: its floor is eps |s|, so smaller betas are usable. */
  static final double[] SOMA_BETAS = {1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8};

  /** SOMA_BETAS, then on down to 1e-12: at 40 digits the beta error stays far above the floor there. */
  static final double[] SOMA_CONFIRM_BETAS = Orders.continued(SOMA_BETAS, 1e-9, 1e-10, 1e-11, 1e-12);

  @Property
  void somaConvergesToMlpAtOrderOne(@ForAll("networks") NetworkSpec spec) {
    double[][] err = T1Sweep.soma(DoubleBackend.INSTANCE, spec, SOMA_BETAS).errors();
    for (int k = 1; k <= err.length; k++) {
      int layer = k;
      double scale = scale(spec, k);
      Orders.assertAsymptoticOrder(spec + " layer " + k + " |s(beta) - s_hat|", SOMA_BETAS, err[k - 1],
          Orders.differenceFloors(SOMA_BETAS, scale, Math.ulp(1.0)), 1.0, 0.1,
          () -> new Orders.Confirmation(SOMA_CONFIRM_BETAS,
              T1Sweep.soma(new ApfloatBackend(Orders.CONFIRM_DIGITS), spec, SOMA_CONFIRM_BETAS).errors()[layer - 1],
              Orders.differenceFloors(SOMA_CONFIRM_BETAS, scale, Orders.CONFIRM_EPS)));
    }
  }

  /** The exact first-order response of MA (one linear solve with the dynamics' Jacobian) is -delta. */
  @Property
  void linearResponseOfMaEqualsMinusDelta(@ForAll("networks") NetworkSpec spec) {
    Probe<Double, double[], DMatrixRMaj> p = new Probe<>(DoubleBackend.INSTANCE, spec);
    LinearResponse.Response<double[]> lr = LinearResponse.at(p.net, p.equilibrium(0.0), p.stimulus(0.0));
    // eps^k is a difference of terms of the size of xi (the solve's output), which cancel down to
    // delta^k: rounding is relative to |xi|, not to |delta^k| (which may be 1e-6 in a narrow net).
    double xiScale = 0;
    for (double[] xi : lr.xi()) {
      xiScale = Math.max(xiScale, p.norm(xi));
    }
    for (int k = 1; k <= p.net.depth(); k++) {
      double diff = p.norm(p.backend.plus(lr.eps().at(k), p.delta.at(k)));
      double allowed = 1e-13 * (p.norm(p.delta.at(k)) + xiScale);
      assertThat(diff).as(spec + " layer " + k + ": |eps + delta|, |delta| = " + p.norm(p.delta.at(k))
          + ", |xi| = " + xiScale).isLessThanOrEqualTo(allowed);
    }
  }

  private static double scale(NetworkSpec spec, int k) {
    Probe<Double, double[], DMatrixRMaj> p = new Probe<>(DoubleBackend.INSTANCE, spec);
    return p.norm(p.mlp.s().at(k));
  }

  @Provide
  Arbitrary<NetworkSpec> networks() {
    return Networks.random(Feedback.TF);
  }
}
