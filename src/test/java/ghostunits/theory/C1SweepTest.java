package ghostunits.theory;

import static org.assertj.core.api.Assertions.assertThat;

import ghostunits.dynamics.Equilibrium;
import ghostunits.model.Feedback;
import ghostunits.model.Layers;
import ghostunits.model.Mlp;
import ghostunits.model.NetworkSpec;
import ghostunits.numeric.DoubleBackend;
import ghostunits.plasticity.LocalRules;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * C1's two properties check the same order (1) for both forms of eq. 6, so a sweep that computed
 * the other form than its Rule names would pass them (found by PIT: the rule's conditional negated
 * survived). Each rule's sweep is pinned to its own form here, at a beta where the two differ.
 */
class C1SweepTest {
  static final NetworkSpec SPEC = NetworkSpec.random(new Random(5), Feedback.TF, new int[] {3, 5, 4, 2}, 1.0);
  static final double BETA = 0.3;

  @Test
  void eachRuleSweepsItsOwnFormOfEq6() {
    DoubleBackend be = DoubleBackend.INSTANCE;
    Probe<Double, double[], DMatrixRMaj> p = new Probe<>(be, SPEC);
    Layers<DMatrixRMaj> gradient = Mlp.gradients(p.model, p.mlp, p.delta);
    Equilibrium<Double, double[]> eq = p.equilibrium(BETA);
    Layers<DMatrixRMaj> rateDifference = LocalRules.weightUpdateRateDifference(p.net, eq.state(), p.x, 1.0, BETA);
    Layers<DMatrixRMaj> firstOrder = LocalRules.weightUpdateFirstOrder(p.net, eq.state(), eq.errors(), p.x, 1.0, BETA);
    Sweep rd = C1Sweep.gradientError(be, SPEC, C1Sweep.Rule.RATE_DIFFERENCE, new double[] {BETA});
    Sweep fo = C1Sweep.gradientError(be, SPEC, C1Sweep.Rule.FIRST_ORDER, new double[] {BETA});
    assertThat(rd.quantity()).contains("rate-difference");
    assertThat(fo.quantity()).contains("first-order");
    for (int k = 1; k <= SPEC.depth(); k++) {
      double g = be.scalars().toDouble(be.matNormMax(gradient.at(k)));
      double expectedRd = be.scalars().toDouble(be.matNormMax(be.matPlus(rateDifference.at(k), gradient.at(k)))) / g;
      double expectedFo = be.scalars().toDouble(be.matNormMax(be.matPlus(firstOrder.at(k), gradient.at(k)))) / g;
      // The two forms differ at O(beta) (their difference is rho'' e^2 / 2 and higher).
      assertThat(Math.abs(expectedRd - expectedFo)).as("layer %d: the forms differ at beta %s", k, BETA)
          .isGreaterThan(1e-6);
      assertThat(rd.errors()[k - 1][0]).as("layer %d, rate-difference", k).isEqualTo(expectedRd);
      assertThat(fo.errors()[k - 1][0]).as("layer %d, first-order", k).isEqualTo(expectedFo);
    }
  }
}
