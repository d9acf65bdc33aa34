package ghostunits.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ghostunits.plasticity.Checkpoint;
import ghostunits.plasticity.Curves;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The train command end to end on a few hundred examples: outputs, and resume = uninterrupted run, bitwise. */
class TrainCommandTest {
  private static int train(Path config, Path out, int epochs, boolean resume) {
    String[] base = {"train", "--config", config.toString(), "--out", out.toString(), "--epochs", String.valueOf(epochs),
        "--train-limit", "300", "--test-limit", "200", "--seed", "11", "--no-progress"};
    if (resume) {
      String[] r = java.util.Arrays.copyOf(base, base.length + 1);
      r[base.length] = "--resume";
      base = r;
    }
    return Main.execute(base);
  }

  @Test
  void resumingGivesTheSameWeightsAsOneRun(@TempDir Path dir) throws Exception {
    String json = Files.readString(Path.of("configs/table1/MA-FA-500.json")).replace("500", "30");
    Path config = dir.resolve("MA-FA-30.json");
    Files.writeString(config, json.replace("\"MA-FA-30\"", "\"MA-FA-500\""));
    assertThat(train(config, dir.resolve("straight"), 2, false)).isZero();
    assertThat(train(config, dir.resolve("split"), 1, true)).isZero();
    assertThat(train(config, dir.resolve("split"), 2, true)).isZero();
    Checkpoint a = Checkpoint.load(dir.resolve("straight/checkpoint.json.gz"));
    Checkpoint b = Checkpoint.load(dir.resolve("split/checkpoint.json.gz"));
    assertThat(a.epochsDone()).isEqualTo(2);
    assertThat(b.epochsDone()).isEqualTo(2);
    assertThat(a.network().sameBits(b.network())).isTrue();
    assertThat(Curves.read(dir.resolve("split/metrics.csv"))).hasSize(2);
    assertThat(dir.resolve("split/curves.png")).exists();
  }
}
