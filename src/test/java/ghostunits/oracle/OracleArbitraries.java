package ghostunits.oracle;

import ghostunits.model.Feedback;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Random golden-suite cases (small networks, MA or MB, TF or FA) for the oracle's properties. */
final class OracleArbitraries {
  private OracleArbitraries() {}

  /** 1..maxHidden hidden layers of widths 1..maxWidth; MB ghosts 1..3 per hidden layer. */
  static Arbitrary<GoldenSuite.Case> cases(int maxHidden, int maxWidth) {
    Arbitrary<int[]> widths = Arbitraries.integers().between(0, maxHidden).flatMap(hidden ->
        Arbitraries.integers().between(1, maxWidth).array(int[].class).ofSize(hidden + 2));
    return Combinators.combine(widths, Arbitraries.of(Feedback.TF, Feedback.FA),
            Arbitraries.of(NetworkFile.ModelKind.MA, NetworkFile.ModelKind.MB), Arbitraries.longs(),
            Arbitraries.of(true, false))
        .as((w, fb, model, seed, explicit) -> {
          int[] ghosts = new int[w.length - 2];
          for (int k = 0; k < ghosts.length; k++) {
            ghosts[k] = 1 + (int) Math.floorMod(seed >> (3 * k), 3);
          }
          boolean given = model == NetworkFile.ModelKind.MB || explicit;
          return new GoldenSuite.Case("random", model, fb, w, ghosts, given, 1.0, seed, List.of(), false);
        });
  }
}
