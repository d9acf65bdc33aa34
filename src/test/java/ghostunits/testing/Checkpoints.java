package ghostunits.testing;

import ghostunits.plasticity.Checkpoint;
import java.nio.file.Path;
import org.checkerframework.checker.nullness.qual.Nullable;

/** Checkpoint files as other builds or other runs leave them, for the tests of what reads them. */
public final class Checkpoints {
  private Checkpoints() {}

  /**
   * Rewrites {@code file} with {@code start} as its record of the initial weights: null as a
   * checkpoint written before starts were recorded, another fingerprint as one of another start.
   */
  public static void rewriteStart(Path file, @Nullable String start) {
    Checkpoint c = Checkpoint.load(file);
    copy(c, start, c.modelA()).save(file);
  }

  /** Rewrites {@code file} as if written by a Model A run (the same matrices, modelA set). */
  public static void rewriteAsModelA(Path file) {
    Checkpoint c = Checkpoint.load(file);
    copy(c, c.initialWeightsSha256(), true).save(file);
  }

  /** {@code c} with its recorded start and model changed, everything else as it was. */
  private static Checkpoint copy(Checkpoint c, @Nullable String start, boolean modelA) {
    return new Checkpoint(c.config(), c.seed(), c.epochsDone(), c.path(), c.trainExamples(), c.testExamples(),
        start, modelA, c.feedback(), c.widths(), c.ghosts(), c.w(), c.fixedB(), c.gamma(), c.omega());
  }
}
