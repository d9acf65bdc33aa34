package ghostunits.testing;

import ghostunits.model.Feedback;
import ghostunits.model.ModelB;
import ghostunits.model.NetworkSpec;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Random Model B networks for the properties: 1..3 hidden layers, widths 1..6, m_k in 1..4 ghosts
 * per hidden layer, every weight (W, FA's B, Gamma, the starting Omega) U(-1, 1), input and target
 * U(0, 1). The properties fit Omega to the example themselves (eq. 15).
 */
public final class ModelBNetworks {
  private ModelBNetworks() {}

  public static Arbitrary<ModelB> random(Feedback feedback) {
    return random(feedback, 1, 3, 6, 4);
  }

  /** minHidden..maxHidden hidden layers of widths 1..maxWidth with 1..maxGhosts ghosts each. */
  public static Arbitrary<ModelB> random(Feedback feedback, int minHidden, int maxHidden, int maxWidth, int maxGhosts) {
    return Arbitraries.integers().between(minHidden, maxHidden).flatMap(hidden ->
        Combinators.combine(
            Arbitraries.integers().between(1, maxWidth).list().ofSize(hidden + 2),
            Arbitraries.integers().between(1, maxGhosts).list().ofSize(hidden),
            Arbitraries.longs())
        .as((widths, ghosts, seed) ->
            ModelB.random(new Random(seed), feedback, toArray(widths), toArray(ghosts), 1.0, 1.0)));
  }

  /**
   * MB networks whose ghost path equals Model A's (M^k = 0): ghosts are permuted copies of the next
   * layer's units plus 0..2 silent ghosts (ModelB.maGhostPath).
   */
  public static Arbitrary<ModelB> maGhostPath(Feedback feedback, int minHidden, int maxHidden, int maxWidth) {
    return Combinators.combine(
            Networks.random(feedback, minHidden, maxHidden, maxWidth),
            Arbitraries.integers().between(0, 2),
            Arbitraries.longs())
        .as((NetworkSpec base, Integer silent, Long seed) -> ModelB.maGhostPath(base, new Random(seed), silent));
  }

  static int[] toArray(List<Integer> values) {
    int[] a = new int[values.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = values.get(i);
    }
    return a;
  }
}
