package ghostunits.dynamics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ghostunits.numeric.DoubleBackend;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The Newton solvers' shared line search on a field whose answers are known by hand: f(z) = z - 1
 * in one dimension, residual |z - 1|.
 */
class BacktrackingTest {
  private final DoubleBackend be = DoubleBackend.INSTANCE;
  private final Function<double[], double[]> field = z -> new double[] {z[0] - 1.0};

  @Test
  void theFullStepIsTakenWhenItLowersTheResidual() {
    Backtracking.Accepted<Double, double[]> a =
        Backtracking.along(be, new double[] {3.0}, new double[] {-2.0}, 2.0, field);
    assertThat(a).isNotNull();
    assertThat(a.t()).isEqualTo(1.0);
    assertThat(a.z()).containsExactly(1.0);
    assertThat(a.residual()).isEqualTo(0.0);
  }

  @Test
  void anOvershootingStepIsHalvedUntilItImproves() {
    // From z = 3 the step -8 lands at -5 (residual 6), half of it at -1 (residual 2, not below 2),
    // a quarter at 1 (residual 0): t = 1/4.
    Backtracking.Accepted<Double, double[]> a =
        Backtracking.along(be, new double[] {3.0}, new double[] {-8.0}, 2.0, field);
    assertThat(a).isNotNull();
    assertThat(a.t()).isEqualTo(0.25);
    assertThat(a.z()).containsExactly(1.0);
  }

  @Test
  void anAscentDirectionIsATypedFailureNamingTheSolverAndTheSizes() {
    assertThat(Backtracking.along(be, new double[] {3.0}, new double[] {1.0}, 2.0, field)).isNull();
    assertThatThrownBy(() -> Backtracking.alongOrFail(be, new double[] {3.0}, new double[] {1.0}, 2.0, field,
        "refined Newton", "refinement direction", 7, 1.0, 1e-12))
        .isInstanceOf(NoConvergenceException.class)
        .hasMessageContaining("refined Newton at double")
        .hasMessageContaining("no step along the refinement direction lowers the residual 2.0")
        .hasMessageContaining("iteration 7")
        .hasMessageContaining("stopping threshold 1.0E-12");
  }
}
