package ghostunits.plasticity;

import static org.assertj.core.api.Assertions.assertThat;

import ghostunits.model.Feedback;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * The fingerprint a checkpoint records of its run's start: the same for the same bits, and changed
 * by one ulp of any stored weight, and different for another model, feedback or seed.
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
  void equalBitsGiveEqualFingerprintsAndOneUlpAnywhereChangesIt() {
    for (String model : new String[] {"MA", "MB"}) {
      for (Feedback fb : Feedback.values()) {
        DenseNetwork a = net(model, fb, 5);
        String print = a.fingerprint();
        assertThat(print).matches("[0-9a-f]{64}");
        assertThat(net(model, fb, 5).fingerprint()).isEqualTo(print);
        assertThat(a.copy().fingerprint()).isEqualTo(print);
        assertThat(net(model, fb, 6).fingerprint()).isNotEqualTo(print);
        List<DMatrixRMaj> ms = stored(a);
        assertThat(ms).hasSize((fb == Feedback.FA ? 2 : 0) + (model.equals("MB") ? 4 : 0) + 3);
        for (DMatrixRMaj m : ms) {
          int last = m.getNumElements() - 1;
          double kept = m.data[last];
          m.data[last] = Math.nextUp(kept);
          assertThat(a.fingerprint()).as("%s-%s, a %dx%d matrix one ulp up", model, fb, m.numRows, m.numCols)
              .isNotEqualTo(print);
          m.data[last] = kept;
          assertThat(a.fingerprint()).isEqualTo(print);
        }
      }
    }
  }

  @Test
  void modelAndFeedbackAreFingerprinted() {
    Set<String> prints = new HashSet<>();
    for (String model : new String[] {"MA", "MB"}) {
      for (Feedback fb : Feedback.values()) {
        prints.add(net(model, fb, 5).fingerprint());
      }
    }
    assertThat(prints).hasSize(4);
  }
}
