package ghostunits.plasticity;

import static org.assertj.core.api.Assertions.assertThat;

import ghostunits.model.Feedback;
import java.util.List;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * The fingerprint a checkpoint records of its run's start, and {@link DenseNetwork#sameBits}, the
 * equality every reproducibility test asserts: both the same for the same bits, both changed by one
 * ulp of any stored weight (the fingerprint also by another seed), and both keep the model apart
 * where the weights alone are equal. (A sameBits blind to some matrix would let those tests pass
 * on runs that differ there.)
 */
class DenseNetworkFingerprintTest {
  private static final int[] WIDTHS = {5, 4, 3, 2};
  private static final int[] GHOSTS = {3, 2};

  private static DenseNetwork net(String model, Feedback fb, long seed) {
    return DenseNetwork.initial(Fixtures.config(model, fb, WIDTHS, GHOSTS, 0.4, 1.0, 2), new Random(seed));
  }

  /** Every matrix the network stores (under TF, B^k is W^{k+1}'s transpose; converged ghosts are W, B). */
  private static List<DMatrixRMaj> stored(DenseNetwork n) {
    List<DMatrixRMaj> out = new java.util.ArrayList<>();
    for (int k = 1; k <= n.depth(); k++) {
      out.add(n.w(k));
    }
    for (int k = 1; k < n.depth(); k++) {
      if (n.feedback() == Feedback.FA) {
        out.add(n.b(k));
      }
      if (!n.convergedGhosts()) {
        out.add(n.gamma(k));
        out.add(n.omega(k));
      }
    }
    return out;
  }

  @Test
  void oneUlpAnywhereChangesTheFingerprintAndSameBits() {
    for (String model : new String[] {"MA", "MB"}) {
      for (Feedback fb : Feedback.values()) {
        DenseNetwork a = net(model, fb, 5);
        String print = a.fingerprint();
        assertThat(print).matches("[0-9a-f]{64}");
        assertThat(net(model, fb, 5).fingerprint()).isEqualTo(print);
        DenseNetwork twin = a.copy();
        assertThat(twin.fingerprint()).isEqualTo(print);
        assertThat(a.sameBits(twin)).isTrue();
        assertThat(net(model, fb, 6).fingerprint()).isNotEqualTo(print);
        List<DMatrixRMaj> ms = stored(a);
        assertThat(ms).hasSize((fb == Feedback.FA ? 2 : 0) + (model.equals("MB") ? 4 : 0) + 3);
        for (DMatrixRMaj m : ms) {
          int last = m.getNumElements() - 1;
          double kept = m.data[last];
          m.data[last] = Math.nextUp(kept);
          assertThat(a.fingerprint()).as("%s-%s, a %dx%d matrix one ulp up", model, fb, m.numRows, m.numCols)
              .isNotEqualTo(print);
          assertThat(a.sameBits(twin)).as("sameBits, %s-%s, a %dx%d matrix one ulp up", model, fb, m.numRows,
              m.numCols).isFalse();
          assertThat(twin.sameBits(a)).isFalse();
          m.data[last] = kept;
          assertThat(a.fingerprint()).isEqualTo(print);
          assertThat(a.sameBits(twin)).isTrue();
        }
      }
    }
  }

  /**
   * MB and MA with learned ghosts store the same matrices (W, B, Gamma, Omega): with equal bits in
   * all of them, only the model in the fingerprint keeps the two apart.
   */
  @Test
  void theModelIsFingerprintedNotOnlyTheWeights() {
    DenseNetwork mb = net("MB", Feedback.FA, 5);
    DenseNetwork maLearned = DenseNetwork.of(true, Feedback.FA, WIDTHS, GHOSTS,
        new DMatrixRMaj[] {mb.w(1), mb.w(2), mb.w(3)}, new DMatrixRMaj[] {mb.b(1), mb.b(2)},
        new DMatrixRMaj[] {mb.gamma(1), mb.gamma(2)}, new DMatrixRMaj[] {mb.omega(1), mb.omega(2)});
    assertThat(maLearned.convergedGhosts()).isFalse();
    assertThat(stored(maLearned)).hasSameSizeAs(stored(mb));
    for (int i = 0; i < stored(mb).size(); i++) {
      assertThat(stored(maLearned).get(i).data).isEqualTo(stored(mb).get(i).data);
    }
    assertThat(maLearned.fingerprint()).isNotEqualTo(mb.fingerprint());
    assertThat(maLearned.sameBits(mb)).isFalse();
    assertThat(mb.sameBits(maLearned)).isFalse();
  }
}
