package ghostunits.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/** The order judge itself: what it passes, fails and discards. */
class OrdersTest {
  private static final double[] BETAS = {1e-2, 3e-3, 1e-3, 3e-4, 1e-4, 3e-5};
  private static final double[] NO_FLOOR = new double[BETAS.length];

  /** err = c1 beta + c2 beta^2 with c2 / c1 = -80: pre-asymptotic at the top, order 1 on the tail. */
  private static double[] firstOrder() {
    double[] e = new double[BETAS.length];
    for (int i = 0; i < e.length; i++) {
      e[i] = Math.abs(1e-4 * BETAS[i] - 8e-3 * BETAS[i] * BETAS[i]);
    }
    return e;
  }

  @Test
  void aPreAsymptoticHeadPassesOnTheTailAndAWrongOrderFails() {
    double[] e = firstOrder();
    assertThatCode(() -> Orders.assertAsymptoticOrder("c1 beta + c2 beta^2", BETAS, e, NO_FLOOR, 1.0, 0.1))
        .doesNotThrowAnyException();
    // The head alone is not order 1: a fixed pair of the largest betas would have failed.
    assertThatThrownBy(() -> Orders.assertOrder("head", Arrays.copyOf(BETAS, 2), Arrays.copyOf(e, 2), 1.0, 0.1))
        .isInstanceOf(AssertionError.class);
    double[] squared = Arrays.stream(BETAS).map(b -> b * b).toArray();
    assertThatThrownBy(() -> Orders.assertAsymptoticOrder("beta^2", BETAS, squared, NO_FLOOR, 1.0, 0.1))
        .isInstanceOf(AssertionError.class).hasMessageContaining("checked tail");
  }

  @Test
  void aNaNOrInfiniteErrorFailsInsteadOfBeingDiscarded() {
    for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY}) {
      double[] e = firstOrder();
      e[0] = bad;
      assertThatThrownBy(() -> Orders.assertAsymptoticOrder("bad head", BETAS, e, NO_FLOOR, 1.0, 0.1))
          .isInstanceOf(AssertionError.class).isNotInstanceOf(TestAbortedException.class)
          .hasMessageContaining("bad head: error at beta 0.01");
    }
    double[] nanFloor = NO_FLOOR.clone();
    nanFloor[2] = Double.NaN;
    assertThatThrownBy(() -> Orders.assertAsymptoticOrder("nan floor", BETAS, firstOrder(), nanFloor, 1.0, 0.1))
        .isInstanceOf(AssertionError.class).hasMessageContaining("rounding floor at beta 0.001");
  }

  @Test
  void tooFewBetasAboveTheFloorDiscardTheTry() {
    // Usable are the betas, from the largest down, whose floor is at most 5% of the error: here the
    // first four (the fifth's floor is the whole error, and an infinite floor stays unusable).
    double[] e = firstOrder();
    double[] floors = NO_FLOOR.clone();
    floors[4] = e[4];
    floors[5] = Double.POSITIVE_INFINITY;
    assertThatThrownBy(() -> Orders.assertAsymptoticOrder("floored", BETAS, e, floors, 1.0, 0.1))
        .isInstanceOf(TestAbortedException.class);
  }

  /** A confirmation grid starts with the double grid, as the Supplier form checks. */
  @Test
  void aContinuedGridStartsWithTheDoubleGrid() {
    assertThat(Orders.continued(new double[] {1e-2, 1e-3}, 1e-4, 1e-5)).containsExactly(1e-2, 1e-3, 1e-4, 1e-5);
  }
}
