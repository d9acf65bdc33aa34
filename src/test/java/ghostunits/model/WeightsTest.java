package ghostunits.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ghostunits.numeric.DoubleBackend;
import ghostunits.numeric.ShapeMismatchException;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/** Malformed weights are rejected with a message naming the matrix at fault and the sizes. */
class WeightsTest {
  private final DoubleBackend be = DoubleBackend.INSTANCE;

  private DMatrixRMaj m(int rows, int cols) {
    return new DMatrixRMaj(rows, cols);
  }

  private Layers<DMatrixRMaj> layers(DMatrixRMaj... ms) {
    return Layers.of(1, List.of(ms));
  }

  @Test
  void wellFormedWeightsHaveTheirShape() {
    Weights<DMatrixRMaj> w = Weights.of(be, Feedback.FA, layers(m(4, 3), m(2, 4)), layers(m(4, 2)),
        layers(m(5, 4)), layers(m(4, 5)));
    assertThat(w.depth()).isEqualTo(2);
    assertThat(w.feedback()).isEqualTo(Feedback.FA);
    assertThat(be.rows(w.gamma().at(1))).isEqualTo(5);
  }

  @Test
  void aWMatrixThatDoesNotFitTheLayerBelowIsNamed() {
    assertThatThrownBy(() -> Weights.of(be, Feedback.FA, layers(m(4, 3), m(2, 5)), layers(m(4, 2)),
        layers(m(5, 4)), layers(m(4, 5))))
        .isInstanceOf(ShapeMismatchException.class).hasMessage("W^2 is 2x5 but layer 1 (rows of W^1) has 4 units: it needs 4 columns");
  }

  @Test
  void feedbackAndGhostMatricesAreCheckedOneByOne() {
    Layers<DMatrixRMaj> w = layers(m(4, 3), m(2, 4));
    assertThatThrownBy(() -> Weights.of(be, Feedback.FA, w, layers(m(3, 2)), layers(m(5, 4)), layers(m(4, 5))))
        .isInstanceOf(ShapeMismatchException.class).hasMessage("B^1 is 3x2 but layer 1 has 4 units: it needs 4 rows");
    assertThatThrownBy(() -> Weights.of(be, Feedback.FA, w, layers(m(4, 3)), layers(m(5, 4)), layers(m(4, 5))))
        .isInstanceOf(ShapeMismatchException.class).hasMessage("B^1 is 4x3 but layer 2 has 2 units: it needs 2 columns");
    assertThatThrownBy(() -> Weights.of(be, Feedback.FA, w, layers(m(4, 2)), layers(m(5, 3)), layers(m(4, 5))))
        .isInstanceOf(ShapeMismatchException.class).hasMessage("Gamma^1 is 5x3 but layer 1 has 4 units: it needs 4 columns");
    assertThatThrownBy(() -> Weights.of(be, Feedback.FA, w, layers(m(4, 2)), layers(m(5, 4)), layers(m(3, 5))))
        .isInstanceOf(ShapeMismatchException.class).hasMessage("Omega^1 is 3x5 but layer 1 has 4 units: it needs 4 rows");
    assertThatThrownBy(() -> Weights.of(be, Feedback.FA, w, layers(m(4, 2)), layers(m(5, 4)), layers(m(4, 6))))
        .isInstanceOf(ShapeMismatchException.class).hasMessage("Omega^1 is 4x6 but the ghosts of layer 1 (rows of Gamma^1) has 5 units: it needs 5 columns");
  }

  @Test
  void missingOrExtraLayersAreCounted() {
    Layers<DMatrixRMaj> w = layers(m(4, 3), m(2, 4));
    assertThatThrownBy(() -> Weights.of(be, Feedback.FA, w, layers(m(4, 2), m(2, 2)), layers(m(5, 4)), layers(m(4, 5))))
        .isInstanceOf(ShapeMismatchException.class).hasMessageContaining("B must be given for layers 1..1, got 2");
    // An extra ghost layer would otherwise be carried along unused, and a missing one fail later
    // with an index error instead of naming the matrix.
    assertThatThrownBy(() -> Weights.of(be, Feedback.FA, w, layers(m(4, 2)), layers(m(5, 4), m(1, 2)), layers(m(4, 5))))
        .isInstanceOf(ShapeMismatchException.class).hasMessageContaining("Gamma must be given for layers 1..1, got 2");
    assertThatThrownBy(() -> Weights.of(be, Feedback.FA, w, layers(m(4, 2)), layers(m(5, 4)), Layers.of(1, List.of())))
        .isInstanceOf(ShapeMismatchException.class).hasMessage("Omega must be given for layers 1..1, got 0 matrices");
    // The right count under the wrong numbering (layers 0..0) would be read at the wrong index.
    assertThatThrownBy(() -> Weights.of(be, Feedback.FA, w, Layers.of(0, List.of(m(4, 2))), layers(m(5, 4)),
        layers(m(4, 5)))).isInstanceOf(ShapeMismatchException.class)
        .hasMessageContaining("B must be given for layers 1..1, got 1 matrices for layers 0..0");
    assertThatThrownBy(() -> Weights.of(be, Feedback.FA, Layers.of(1, List.of()), Layers.of(1, List.of()),
        Layers.of(1, List.of()), Layers.of(1, List.of())))
        .isInstanceOf(ShapeMismatchException.class).hasMessageContaining("N >= 1");
  }

  @Test
  void aOneLayerNetworkTakesEmptyListsWhateverTheirNumbering() {
    // N = 1 has no hidden layer, so no B, Gamma or Omega: an empty list has no numbering to check.
    for (int first : new int[] {0, 1, 7}) {
      Layers<DMatrixRMaj> none = Layers.of(first, List.of());
      Weights<DMatrixRMaj> w = Weights.of(be, Feedback.FA, layers(m(2, 3)), none, none, none);
      assertThat(w.depth()).isEqualTo(1);
      assertThat(w.b().count()).isZero();
    }
  }

  @Test
  void transposeFeedbackFollowsW() {
    Layers<DMatrixRMaj> w = layers(m(4, 3), m(2, 4));
    Weights<DMatrixRMaj> tf = Weights.convergedModelA(be, Feedback.TF, w, null);
    assertThat(be.rows(tf.b().at(1))).isEqualTo(4);
    assertThat(be.cols(tf.b().at(1))).isEqualTo(2);
    DMatrixRMaj w2 = m(2, 4);
    w2.set(1, 3, 7.0);
    Weights<DMatrixRMaj> moved = tf.withW(be, layers(m(4, 3), w2));
    assertThat(moved.b().at(1).get(3, 1)).isEqualTo(7.0);
    assertThat(moved.gamma().at(1).get(1, 3)).isEqualTo(0.0); // ghosts are kept, not reset
    assertThatThrownBy(() -> Weights.convergedModelA(be, Feedback.TF, w, layers(m(4, 2))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Weights.convergedModelA(be, Feedback.FA, w, null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
