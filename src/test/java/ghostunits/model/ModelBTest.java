package ghostunits.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ghostunits.numeric.ShapeMismatchException;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.MatrixFeatures_DDRM;
import org.junit.jupiter.api.Test;

/** Model B's own checks, at their edges (PIT: m_k >= 1 survived as m_k >= 2, and the counts' range). */
class ModelBTest {
  static final NetworkSpec BASE = NetworkSpec.random(new Random(2), Feedback.FA, new int[] {3, 4, 5, 2}, 1.0);

  @Test
  void oneGhostPerLayerIsAModelBNetwork() {
    ModelB mb = ModelB.around(BASE, new Random(3), new int[] {1, 1}, 1.0, 0.0);
    assertThat(mb.ghosts()).containsExactly(1, 1);
    assertThat(mb.gamma().get(0)).hasDimensions(1, 4);
    assertThat(mb.omega0().get(1)).hasDimensions(5, 1);
  }

  @Test
  void theMaGhostPathOfAnFaNetworkUsesEachLayersOwnB() {
    // Omega^k Gamma^k over all ghosts must be B^k W^{k+1} (silent ghosts have Omega 0): the T2c
    // properties draw FA only at random, so a wrong B index could pass them by chance.
    ModelB mb = ModelB.maGhostPath(BASE, new Random(4), 2);
    List<double[][]> b = Objects.requireNonNull(BASE.b(), "FA keeps its B");
    for (int k = 1; k < BASE.depth(); k++) {
      DMatrixRMaj viaGhosts = new DMatrixRMaj(1, 1);
      CommonOps_DDRM.mult(new DMatrixRMaj(mb.omega0().get(k - 1)), new DMatrixRMaj(mb.gamma().get(k - 1)), viaGhosts);
      DMatrixRMaj direct = new DMatrixRMaj(1, 1);
      CommonOps_DDRM.mult(new DMatrixRMaj(b.get(k - 1)), new DMatrixRMaj(BASE.w().get(k)), direct);
      assertThat(MatrixFeatures_DDRM.isEquals(viaGhosts, direct, 1e-12)).as("layer %d", k).isTrue();
    }
  }

  @Test
  void aLayerWithoutGhostsIsRefused() {
    ModelB ok = ModelB.around(BASE, new Random(3), new int[] {2, 1}, 1.0, 0.0);
    assertThatThrownBy(() -> new ModelB(BASE, new int[] {2, 0}, ok.gamma(), ok.omega0()))
        .isInstanceOf(ShapeMismatchException.class).hasMessage("hidden layer 2 needs m_k >= 1 ghost units, got 0");
  }

  @Test
  void oneCountGammaAndOmegaPerHiddenLayer() {
    ModelB ok = ModelB.around(BASE, new Random(3), new int[] {2, 1}, 1.0, 0.0);
    assertThatThrownBy(() -> new ModelB(BASE, new int[] {2}, ok.gamma(), ok.omega0()))
        .isInstanceOf(ShapeMismatchException.class).hasMessage("Model B over " + BASE + " needs 2 ghost counts,"
            + " Gammas and Omegas (one per hidden layer), got 1, 2, 2");
    // The type witness is needed: without it List.of(double[][]) binds as varargs of double[] rows.
    assertThatThrownBy(() -> new ModelB(BASE, new int[] {2, 1}, List.<double[][]>of(ok.gamma().get(0)), ok.omega0()))
        .isInstanceOf(ShapeMismatchException.class).hasMessageEndingWith("got 2, 1, 2");
    assertThatThrownBy(() -> ModelB.around(BASE, new Random(3), new int[] {2, 1, 1}, 1.0, 0.0))
        .isInstanceOf(ShapeMismatchException.class)
        .hasMessage("ghost counts [2, 1, 1] do not match the 2 hidden layers of " + BASE);
  }
}
