package ghostunits.theorems;

import static org.assertj.core.api.Assertions.assertThat;

import ghostunits.dynamics.Equilibrium;
import ghostunits.dynamics.EquilibriumSolver;
import ghostunits.dynamics.GhostNetwork;
import ghostunits.dynamics.Stimulus;
import ghostunits.model.Feedback;
import ghostunits.model.Layers;
import ghostunits.model.Mlp;
import ghostunits.model.Model;
import ghostunits.model.NetworkSpec;
import ghostunits.numeric.DoubleBackend;
import ghostunits.testing.Measure;
import ghostunits.testing.Networks;
import ghostunits.testing.Orders;
import ghostunits.theory.LinearResponse;
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
    double[][] err = T1Check.errors(DoubleBackend.INSTANCE, spec, BETAS);
    double[] deltaNorms = T1Check.deltaNorms(DoubleBackend.INSTANCE, spec);
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
    double[][] err = T1Check.somaErrors(DoubleBackend.INSTANCE, spec, SOMA_BETAS);
    for (int k = 1; k <= err.length; k++) {
      Orders.assertOrder(spec + " layer " + k + " |s(beta) - s_hat|", SOMA_BETAS, err[k - 1], 1.0, 0.1);
    }
  }

  /** The exact first-order response of MA (one linear solve) is -delta, to rounding. */
  @Property
  void linearResponseOfMaEqualsMinusDelta(@ForAll("networks") NetworkSpec spec) {
    DoubleBackend be = DoubleBackend.INSTANCE;
    Model<Double, double[], DMatrixRMaj> model = Model.paper(be);
    GhostNetwork<Double, double[], DMatrixRMaj> net = new GhostNetwork<>(model, spec.weights(be));
    Stimulus<Double, double[]> free = new Stimulus<>(spec.x(be), spec.y(be), 0.0);
    Equilibrium<Double, double[]> eq = EquilibriumSolver.solve(net, free);
    LinearResponse.Response<double[]> lr = LinearResponse.at(net, eq, free);
    Mlp.Forward<double[]> fwd = Mlp.forward(model, net.weights().w(), free.x());
    Layers<double[]> delta = Mlp.deltas(model, net.weights().w(), fwd, free.y());
    for (int k = 1; k <= net.depth(); k++) {
      double scale = be.normMax(delta.at(k));
      double diff = Measure.maxAbsDiff(be, be.scale(-1.0, lr.eps().at(k)), delta.at(k));
      assertThat(diff).as(spec + " layer " + k).isLessThanOrEqualTo(1e-12 * Math.max(scale, 1e-300) + 1e-15);
    }
  }

  @Provide
  Arbitrary<NetworkSpec> networks() {
    return Networks.random(Feedback.TF);
  }
}
