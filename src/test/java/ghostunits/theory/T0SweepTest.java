package ghostunits.theory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ghostunits.dynamics.TimeStep;
import ghostunits.model.Feedback;
import ghostunits.model.Layers;
import ghostunits.model.NetworkSpec;
import ghostunits.numeric.ApfloatBackend;
import ghostunits.numeric.DoubleBackend;
import java.util.List;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * The T0 properties trust T0Sweep's starts and deviation sequences: a start nearer z_hat than
 * promised, or a sequence whose last entries were never computed, would let them pass on less
 * than they claim (found by PIT: such mutants of displacedStart survived).
 */
class T0SweepTest {
  /** 3-6-5-4, TF: a state of 6 + 5 + 4 + 5 + 4 = 24 entries. */
  static final NetworkSpec SPEC = NetworkSpec.random(new Random(7), Feedback.TF, new int[] {3, 6, 5, 4}, 1.0);

  @Test
  void everyEntryOfADisplacedStartIsBetweenTheOffsetsAwayInBothDirections() {
    double[] hat = T0Sweep.mlpState(SPEC);
    double[] z = T0Sweep.displacedStart(SPEC, new Random(11), 0.3, 0.8);
    assertThat(z).hasSize(T0Sweep.stateSize(SPEC)).hasSize(hat.length);
    int up = 0;
    for (int i = 0; i < z.length; i++) {
      double offset = z[i] - hat[i];
      // hat + offset - hat rounds by at most an ulp of the sum.
      double slack = 2 * Math.ulp(Math.abs(hat[i]) + 0.8);
      assertThat(Math.abs(offset)).as("entry %d", i).isBetween(0.3 - slack, 0.8 + slack);
      up += offset > 0 ? 1 : 0;
    }
    // Each sign is a coin flip: all 24 on one side would be a 2^-23 event for this fixed seed.
    assertThat(up).isStrictlyBetween(0, z.length);
  }

  @Test
  void equalOffsetsGiveExactlyThatOffset() {
    double[] hat = T0Sweep.mlpState(SPEC);
    double[] z = T0Sweep.displacedStart(SPEC, new Random(3), 0.5, 0.5);
    for (int i = 0; i < z.length; i++) {
      assertThat(Math.abs(z[i] - hat[i])).as("entry %d", i)
          .isCloseTo(0.5, within(2 * Math.ulp(Math.abs(hat[i]) + 0.5)));
    }
    assertThat(T0Sweep.displacedStart(SPEC, new Random(3), 0.0, 0.0)).containsExactly(hat);
  }

  @Test
  void offsetsOutOfOrderAreRefused() {
    assertThatThrownBy(() -> T0Sweep.displacedStart(SPEC, new Random(1), -0.1, 1.0))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("offsets must satisfy 0 <= min <= max, got min -0.1, max 1.0");
    assertThatThrownBy(() -> T0Sweep.displacedStart(SPEC, new Random(1), 0.5, 0.4))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("offsets must satisfy 0 <= min <= max, got min 0.5, max 0.4");
    assertThatThrownBy(() -> T0Sweep.displacedStart(SPEC, new Random(1), Double.NaN, 1.0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** Entry t is the distance after t steps, for every t up to the last: a shorter run is a prefix. */
  @Test
  void deviationsAreComputedUpToTheLastStep() {
    double[] start = T0Sweep.displacedStart(SPEC, new Random(5), 0.2, 1.0);
    double[] five = T0Sweep.deviations(DoubleBackend.INSTANCE, SPEC, start, TimeStep.ofRatio(0.5), 5);
    assertThat(five).hasSize(6);
    for (int steps = 0; steps < 5; steps++) {
      double[] shorter = T0Sweep.deviations(DoubleBackend.INSTANCE, SPEC, start, TimeStep.ofRatio(0.5), steps);
      assertThat(shorter).hasSize(steps + 1);
      // Bitwise: the same steps in the same order.
      assertThat(shorter[steps]).as("after %d steps", steps).isEqualTo(five[steps]);
    }
    // The last entry was computed, not left at 0: with h = 1/2 the run contracts at about 1 - h per
    // step (T0.md step 11), so after 5 steps from at least 0.2 away it is still far from z_hat (measured 0.097).
    assertThat(five[5]).as("%s", java.util.Arrays.toString(five)).isGreaterThan(1e-3);
  }

  /**
   * The T0 properties assert the defects and the remaining error small: the measures themselves
   * must see a large entry wherever it is (PIT: maxRatio and maxNorm returning 0 survived).
   */
  @Test
  void theMeasuresSeeTheirLargestEntry() {
    DoubleBackend be = DoubleBackend.INSTANCE;
    Probe<Double, double[], DMatrixRMaj> p = new Probe<>(be, SPEC);
    assertThat(T0Sweep.maxRatio(p, new double[] {1, -3, 0.5}, new double[] {2, 2, 4})).isEqualTo(1.5);
    assertThat(T0Sweep.maxRatio(p, new double[] {0, 1}, new double[] {0, 8})).isEqualTo(0.125);
    assertThat(T0Sweep.maxRatio(p, new double[] {1e-300, 1}, new double[] {0, 8})).isInfinite();
    assertThat(T0Sweep.maxNorm(p, Layers.of(1, List.of(new double[] {0.5, -2},
        new double[] {1}, new double[] {-7, 3})))).isEqualTo(7);
  }

  /**
   * In exact arithmetic both defects are 0; in double every hidden layer shows its rounding, at
   * 50 digits none does: the defect is computed for each layer (PIT: the loop cut to none survived).
   */
  @Test
  void defectsAreRoundingInDoubleAndVanishAtFiftyDigits() {
    double[] start = T0Sweep.displacedStart(SPEC, new Random(5), 0.2, 1.0);
    double[] d = T0Sweep.mismatchDefects(DoubleBackend.INSTANCE, SPEC, start, TimeStep.ofRatio(0.5), 0.0);
    double[] e = T0Sweep.errorOfMismatchDefects(DoubleBackend.INSTANCE, SPEC, start, 0.0);
    double[] d50 = T0Sweep.mismatchDefects(new ApfloatBackend(50), SPEC, start, TimeStep.ofRatio(0.5), 0.0);
    double[] e50 = T0Sweep.errorOfMismatchDefects(new ApfloatBackend(50), SPEC, start, 0.0);
    for (int k = 0; k < SPEC.depth() - 1; k++) {
      assertThat(d[k]).as("mismatch defect, layer %d", k + 1).isPositive().isLessThan(1e-14);
      assertThat(e[k]).as("error defect, layer %d", k + 1).isPositive().isLessThan(1e-14);
      assertThat(d50[k]).as("mismatch defect at 50 digits, layer %d", k + 1).isLessThan(1e-45);
      assertThat(e50[k]).as("error defect at 50 digits, layer %d", k + 1).isLessThan(1e-45);
    }
  }

  /** One defect per hidden layer (the properties read every entry they are given). */
  @Test
  void defectsHaveOneEntryPerHiddenLayer() {
    double[] start = T0Sweep.displacedStart(SPEC, new Random(5), 0.2, 1.0);
    assertThat(T0Sweep.mismatchDefects(DoubleBackend.INSTANCE, SPEC, start, TimeStep.ofRatio(0.5), 0.0))
        .hasSize(SPEC.depth() - 1);
    assertThat(T0Sweep.errorOfMismatchDefects(DoubleBackend.INSTANCE, SPEC, start, 0.0)).hasSize(SPEC.depth() - 1);
  }
}
