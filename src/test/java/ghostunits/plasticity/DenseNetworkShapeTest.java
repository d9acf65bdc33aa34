package ghostunits.plasticity;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ghostunits.model.Feedback;
import ghostunits.numeric.ShapeMismatchException;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * A network built from stored matrices (a checkpoint) or changed in place refuses a matrix of the
 * wrong shape, naming it and both shapes, instead of training with it: EJML's in-place kernels
 * would otherwise read past or short of a row without complaint.
 */
class DenseNetworkShapeTest {
  static final int[] WIDTHS = {5, 4, 3};
  static final int[] GHOSTS = {2};

  private static DenseNetwork modelB() {
    TrainConfig c = Fixtures.config("MB", Feedback.FA, WIDTHS, GHOSTS, 0.3, 0.1, 1);
    return DenseNetwork.initial(c, new Random(3));
  }

  private static DMatrixRMaj wrong(DMatrixRMaj m) {
    return new DMatrixRMaj(m.numRows + 1, m.numCols);
  }

  @Test
  void storedMatricesOfTheWrongShapeAreRefusedByName() {
    DenseNetwork net = modelB();
    String[] names = {"W^1", "W^2", "B^1", "Gamma^1", "Omega^1"};
    for (int victim = 0; victim < names.length; victim++) {
      DMatrixRMaj[] w = {net.w(1), net.w(2)};
      DMatrixRMaj[] b = {net.b(1)};
      DMatrixRMaj[] gamma = {net.gamma(1)};
      DMatrixRMaj[] omega = {net.omega(1)};
      DMatrixRMaj[] holder = victim < 2 ? w : victim == 2 ? b : victim == 3 ? gamma : omega;
      int at = victim == 1 ? 1 : 0;
      DMatrixRMaj bad = wrong(holder[at]);
      String expected = names[victim] + " is " + bad.numRows + "x" + bad.numCols + ", expected " + holder[at].numRows
          + "x" + holder[at].numCols;
      holder[at] = bad;
      assertThatThrownBy(() -> DenseNetwork.of(false, Feedback.FA, WIDTHS, GHOSTS, w, b, gamma, omega))
          .as(names[victim]).isInstanceOf(ShapeMismatchException.class).hasMessage(expected);
    }
  }

  @Test
  void aMissingOrExtraStoredMatrixIsRefusedWithTheCounts() {
    DenseNetwork net = modelB();
    DMatrixRMaj[] w = {net.w(1), net.w(2)};
    DMatrixRMaj[] b = {net.b(1)};
    DMatrixRMaj[] gamma = {net.gamma(1)};
    DMatrixRMaj[] omega = {net.omega(1)};
    DMatrixRMaj[] none = {};
    assertThatThrownBy(() -> DenseNetwork.of(false, Feedback.FA, WIDTHS, GHOSTS, w, none, gamma, omega))
        .isInstanceOf(ShapeMismatchException.class).hasMessage("FA network needs 1 feedback matrices, got 0");
    assertThatThrownBy(() -> DenseNetwork.of(false, Feedback.FA, WIDTHS, GHOSTS, w, b, none, omega))
        .isInstanceOf(ShapeMismatchException.class)
        .hasMessage("Model B network needs 1 Gamma and Omega matrices, got 0 and 1");
    assertThatThrownBy(() -> DenseNetwork.of(false, Feedback.FA, WIDTHS, GHOSTS, w, b, gamma, new DMatrixRMaj[] {
        net.omega(1), net.omega(1)})).isInstanceOf(ShapeMismatchException.class)
        .hasMessage("Model B network needs 1 Gamma and Omega matrices, got 1 and 2");
  }

  @Test
  void inPlaceChangesOfTheWrongShapeAreRefusedByName() {
    DenseNetwork net = modelB();
    DMatrixRMaj gamma = net.gamma(1);
    DMatrixRMaj omega = net.omega(1);
    assertThatThrownBy(() -> net.setOmega(1, wrong(omega))).isInstanceOf(ShapeMismatchException.class)
        .hasMessage("Omega^1 is 5x2, expected 4x2");
    assertThatThrownBy(() -> net.addToGhosts(1, wrong(gamma), omega.copy())).isInstanceOf(ShapeMismatchException.class)
        .hasMessage("dGamma^1 is 3x4, expected 2x4");
    assertThatThrownBy(() -> net.addToGhosts(1, gamma.copy(), wrong(omega))).isInstanceOf(ShapeMismatchException.class)
        .hasMessage("dOmega^1 is 5x2, expected 4x2");
  }
}
