package ghostunits.dynamics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ghostunits.model.Feedback;
import ghostunits.model.Model;
import ghostunits.model.NetworkSpec;
import ghostunits.numeric.DoubleBackend;
import ghostunits.numeric.NonFiniteValueException;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/** The solver's failure modes: never a result where there is no equilibrium to report. */
class EquilibriumSolverTest {
  private final DoubleBackend be = DoubleBackend.INSTANCE;

  private GhostNetwork<Double, double[], DMatrixRMaj> net(NetworkSpec spec) {
    return new GhostNetwork<>(Model.paper(be), spec.weights(be));
  }

  @Test
  void aNonFiniteInputIsNamedNotSolved() {
    NetworkSpec spec = NetworkSpec.random(new Random(3), Feedback.TF, new int[] {3, 4, 2}, 1.0);
    double[] x = spec.x(be);
    x[1] = Double.NaN;
    GhostNetwork<Double, double[], DMatrixRMaj> n = net(spec);
    Stimulus<Double, double[]> stim = new Stimulus<>(x, spec.y(be), 0.1);
    assertThatThrownBy(() -> EquilibriumSolver.solve(n, stim)).isInstanceOf(NonFiniteValueException.class)
        .hasMessageContaining("NaN");
  }

  @Test
  void aLargeBetaStillConvergesWithTheLineSearch() {
    NetworkSpec spec = NetworkSpec.random(new Random(4), Feedback.TF, new int[] {5, 6, 4, 3}, 1.0);
    GhostNetwork<Double, double[], DMatrixRMaj> n = net(spec);
    Equilibrium<Double, double[]> eq = EquilibriumSolver.solve(n, new Stimulus<>(spec.x(be), spec.y(be), 10.0));
    assertThat(eq.residual()).isLessThan(1e-12);
    assertThat(be.normMax(n.flatten(n.field(eq.state(), new Stimulus<>(spec.x(be), spec.y(be), 10.0)))))
        .isLessThan(1e-12);
  }

  @Test
  void theFreeEquilibriumOfConvergedGhostsNeedsNoStep() {
    NetworkSpec spec = NetworkSpec.random(new Random(5), Feedback.TF, new int[] {5, 6, 4, 3}, 1.0);
    Equilibrium<Double, double[]> eq = EquilibriumSolver.solve(net(spec), new Stimulus<>(spec.x(be), spec.y(be), 0.0));
    assertThat(eq.iterations()).isZero();
    assertThat(eq.residual()).isZero();
  }
}
