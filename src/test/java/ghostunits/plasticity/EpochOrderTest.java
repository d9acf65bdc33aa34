package ghostunits.plasticity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The example order of an epoch ({@link Trainer#order}): a permutation, another for another seed
 * or epoch, and the very one every committed run in reports/runs was trained in. A resumed run
 * (`train --resume`) recomputes the orders of its remaining epochs, so a changed order would let
 * it continue a committed checkpoint on different data without any error; the first entries of the
 * orders of seeds 1 and 2 (the committed seeds) over the paper's 55,000 training images are pinned.
 */
class EpochOrderTest {
  @Test
  void anOrderIsAPermutationOfTheExamples() {
    for (int n : new int[] {1, 2, 7, 1000}) {
      int[] o = Trainer.order(5, 3, n);
      int[] sorted = o.clone();
      Arrays.sort(sorted);
      assertThat(sorted).as("n = %d", n).isEqualTo(IntStream.range(0, n).toArray());
    }
  }

  @Test
  void theOrderIsFixedBySeedAndEpochAndChangesWithEither() {
    int[] o = Trainer.order(1, 1, 1000);
    assertThat(Trainer.order(1, 1, 1000)).isEqualTo(o);
    assertThat(o).isNotEqualTo(IntStream.range(0, 1000).toArray());
    assertThat(Trainer.order(1, 2, 1000)).isNotEqualTo(o);
    assertThat(Trainer.order(2, 1, 1000)).isNotEqualTo(o);
  }

  @Test
  void theCommittedRunsOrdersAreUnchanged() {
    assertThat(Arrays.copyOf(Trainer.order(1, 1, 55_000), 8))
        .containsExactly(51849, 12267, 52923, 41304, 48502, 52378, 474, 4629);
    assertThat(Arrays.copyOf(Trainer.order(1, 2, 55_000), 8))
        .containsExactly(20488, 25490, 8773, 7404, 43601, 41898, 11982, 50455);
    assertThat(Arrays.copyOf(Trainer.order(2, 1, 55_000), 8))
        .containsExactly(27824, 21360, 16687, 4205, 1252, 1757, 52011, 24448);
  }
}
