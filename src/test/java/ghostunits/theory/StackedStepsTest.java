package ghostunits.theory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** StackedSteps against the outer products built and stacked entry by entry. */
class StackedStepsTest {
  @Test
  void matchesTheStackedOuterProducts() {
    double[][] u = {{1, -2, 0.5}, {3, 0, -1}};
    double[][] v = {{2, 1, -1}, {-0.5, 4, 2}};
    double[][] x = {{0.2, 0.7}, {1.5, -0.3}};
    StackedSteps s = new StackedSteps();
    double uu = 0;
    double vv = 0;
    double uv = 0;
    for (int e = 0; e < 2; e++) {
      s.add(u[e], v[e], x[e][0] * x[e][0] + x[e][1] * x[e][1]);
      for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 2; j++) {
          double a = u[e][i] * x[e][j];
          double b = v[e][i] * x[e][j];
          uu += a * a;
          vv += b * b;
          uv += a * b;
        }
      }
    }
    assertThat(s.ratio()).isCloseTo(Math.sqrt(uu / vv), within(1e-14));
    assertThat(s.cosine()).isCloseTo(uv / Math.sqrt(uu * vv), within(1e-14));
    // The example with the larger input weighs more: not the mean of per-example ratios.
    StackedSteps first = new StackedSteps();
    first.add(u[0], v[0], 1);
    assertThat(s.ratio()).isNotCloseTo(first.ratio(), within(1e-3));
  }

  @Test
  void parallelStepsHaveCosineOneAndTheirLengthRatio() {
    StackedSteps s = new StackedSteps();
    s.add(new double[] {2, 4}, new double[] {1, 2}, 3);
    s.add(new double[] {-6, 0}, new double[] {-3, 0}, 0.5);
    assertThat(s.ratio()).isCloseTo(2, within(1e-15));
    assertThat(s.cosine()).isCloseTo(1, within(1e-15));
    s.add(new double[] {1, 0}, new double[] {0, 1}, 1);
    assertThat(s.cosine()).isLessThan(1);
  }

  @Test
  void refusesStepsOfDifferentLengths() {
    assertThatThrownBy(() -> new StackedSteps().add(new double[2], new double[3], 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("steps of 2 and 3 rows");
  }
}
