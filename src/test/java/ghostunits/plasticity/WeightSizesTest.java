package ghostunits.plasticity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ghostunits.model.Feedback;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

/** StepComparison.sizes: the rms and the distance moved that `steps` prints, and what it refuses. */
class WeightSizesTest {
  private static final int[] WIDTHS = {3, 2, 1};

  private static DenseNetwork net(Feedback fb, double[] w1, double[] w2, double[] b1) {
    return DenseNetwork.of(true, fb, WIDTHS, new int[] {2}, new DMatrixRMaj[] {new DMatrixRMaj(2, 3, true, w1),
        new DMatrixRMaj(1, 2, true, w2)}, new DMatrixRMaj[] {new DMatrixRMaj(2, 1, true, b1)},
        new DMatrixRMaj[0], new DMatrixRMaj[0]);
  }

  @Test
  void rmsAndDistanceByHand() {
    double[] b1 = {0.3, -0.4};
    DenseNetwork start = net(Feedback.FA, new double[] {1, 1, 1, 1, 1, 1}, new double[] {2, 0}, b1);
    // W^1 - W^1(0) = (2, 0, 0, 0, 0, 0): rms 2/sqrt(6), over rms(W^1(0)) = 1.
    DenseNetwork now = net(Feedback.FA, new double[] {3, 1, 1, 1, 1, 1}, new double[] {2, 0}, b1);
    StepComparison.WeightSizes s = StepComparison.sizes(now, start);
    assertThat(s.rms()[0]).isCloseTo(Math.sqrt(14.0 / 6), within(1e-15));
    assertThat(s.movedFromInitial()[0]).isCloseTo(2 / Math.sqrt(6), within(1e-15));
    assertThat(s.rms()[1]).isCloseTo(Math.sqrt(2), within(1e-15));
    assertThat(s.movedFromInitial()[1]).isZero();
    assertThat(s.feedbackRms()).hasSize(1);
    assertThat(s.feedbackRms()[0]).isCloseTo(Math.sqrt(0.125), within(1e-16));
    // Under TF there is no fixed feedback to report.
    DenseNetwork tf = net(Feedback.TF, new double[] {1, 1, 1, 1, 1, 1}, new double[] {2, 0}, b1);
    assertThat(StepComparison.sizes(tf, tf).feedbackRms()).isEmpty();
  }

  /** Adding c W^k(0) to every layer moves each by abs(c), whatever the network. */
  @Test
  void movingByAMultipleOfTheStartIsThatMultiple() {
    TrainConfig c = Fixtures.config("MA", Feedback.FA, new int[] {6, 5, 4, 3}, new int[] {5, 4}, 0.3, 1.0, 1);
    DenseNetwork start = DenseNetwork.initial(c, new Random(7));
    DenseNetwork now = start.copy();
    double[] factor = {-0.5, 2.0, 0.25};
    for (int k = 1; k <= 3; k++) {
      DMatrixRMaj step = start.w(k).copy();
      CommonOps_DDRM.scale(factor[k - 1], step);
      now.addToW(k, step);
    }
    StepComparison.WeightSizes s = StepComparison.sizes(now, start);
    for (int k = 0; k < 3; k++) {
      assertThat(s.movedFromInitial()[k]).isCloseTo(Math.abs(factor[k]), within(1e-14));
      assertThat(s.rms()[k]).isCloseTo(Math.abs(1 + factor[k]) * StepComparison.sizes(start, start).rms()[k],
          within(1e-14));
    }
    assertThat(s.feedbackRms()).hasSize(2);
  }

  @Test
  void refusesWeightsThatDidNotStartThere() {
    DenseNetwork start = net(Feedback.FA, new double[] {1, 1, 1, 1, 1, 1}, new double[] {2, 0}, new double[] {1, 2});
    DenseNetwork otherB = net(Feedback.FA, new double[] {1, 1, 1, 1, 1, 1}, new double[] {2, 0}, new double[] {1, 3});
    assertThatThrownBy(() -> StepComparison.sizes(otherB, start)).isInstanceOf(TrainingException.class)
        .hasMessageStartingWith("the fixed B^1 differs from the initial one");
    DenseNetwork tf = net(Feedback.TF, new double[] {1, 1, 1, 1, 1, 1}, new double[] {2, 0}, new double[] {1, 2});
    assertThatThrownBy(() -> StepComparison.sizes(tf, start)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("networks of widths [3, 2, 1] (TF) and [3, 2, 1] (FA) cannot be compared");
    TrainConfig wider = Fixtures.config("MA", Feedback.FA, new int[] {3, 4, 1}, new int[] {4}, 0.3, 1.0, 1);
    assertThatThrownBy(() -> StepComparison.sizes(DenseNetwork.initial(wider, new Random(1)), start))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[3, 4, 1] (FA) and [3, 2, 1] (FA)");
  }
}
