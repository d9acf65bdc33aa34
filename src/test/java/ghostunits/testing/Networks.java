package ghostunits.testing;

import ghostunits.model.Feedback;
import ghostunits.model.NetworkSpec;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/** Random networks for the properties: 1..4 hidden layers, widths 1..8, weights U(-1, 1). */
public final class Networks {
  private Networks() {}

  public static Arbitrary<NetworkSpec> random(Feedback feedback) {
    return random(feedback, 1, 4, 8);
  }

  /** minHidden..maxHidden hidden layers of widths 1..maxWidth. */
  public static Arbitrary<NetworkSpec> random(Feedback feedback, int minHidden, int maxHidden, int maxWidth) {
    return Arbitraries.integers().between(minHidden, maxHidden).flatMap(hidden ->
        Arbitraries.integers().between(1, maxWidth).list().ofSize(hidden + 2).flatMap(widths ->
            Arbitraries.longs().map(seed -> NetworkSpec.random(new Random(seed), feedback, toArray(widths), 1.0))));
  }

  private static int[] toArray(List<Integer> widths) {
    int[] a = new int[widths.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = widths.get(i);
    }
    return a;
  }
}
