package ghostunits.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ghostunits.data.Mnist;
import ghostunits.testing.Checkpoints;
import ghostunits.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The steps command end to end on a small MA network trained for one short epoch. */
class StepsCommandTest {
  @Test
  void comparesAtACheckpointAndRefusesAnotherSeedsCheckpoint(@TempDir Path dir) throws Exception {
    String json = Files.readString(Path.of("configs/table1/MA-TF-500.json")).replace("500", "30");
    Path config = dir.resolve("MA-TF-30.json");
    Files.writeString(config, json.replace("\"MA-TF-30\"", "\"MA-TF-500\""));
    String mnist = Mnist.defaultDir().toString();
    Path run = dir.resolve("run");
    assertThat(Main.execute("train", "--config", config.toString(), "--out", run.toString(), "--epochs", "1",
        "--train-limit", "300", "--test-limit", "200", "--seed", "11", "--no-progress", "--mnist", mnist)).isZero();
    String checkpoint = run.resolve("checkpoint.json.gz").toString();

    CliRun ok = CliRun.of("steps", "--config", config.toString(), "--checkpoint", checkpoint, "--seed", "11",
        "--batches", "2", "--mnist", mnist);
    assertThat(ok.status()).as(ok.err()).isZero();
    assertThat(ok.out()).contains("after epoch 1").contains("the first 2 mini-batches of epoch 2");
    for (int k = 1; k <= 2; k++) {
      Matcher m = Pattern.compile("\\| W\\^" + k + " \\| ([0-9.]+) \\| (-?[0-9.]+) \\| ([0-9.]+) \\| (-?[0-9.]+) \\|")
          .matcher(ok.out());
      assertThat(m.find()).as("row of W^%d in%n%s", k, ok.out()).isTrue();
      assertThat(Double.parseDouble(m.group(1))).isPositive();
      assertThat(Math.abs(Double.parseDouble(m.group(2)))).isLessThanOrEqualTo(1.0);
      assertThat(Double.parseDouble(m.group(3))).isPositive();
      assertThat(Math.abs(Double.parseDouble(m.group(4)))).isLessThanOrEqualTo(1.0);
    }
    Matcher share = Pattern.compile("\\| ([0-9.]+)% \\|").matcher(ok.out());
    double total = 0;
    int classes = 0;
    while (share.find()) {
      total += Double.parseDouble(share.group(1));
      classes++;
    }
    assertThat(classes).isEqualTo(4);
    assertThat(total).isBetween(99.8, 100.2);

    CliRun otherSeed = CliRun.of("steps", "--config", config.toString(), "--checkpoint", checkpoint, "--seed", "12",
        "--mnist", mnist);
    assertThat(otherSeed.status()).isEqualTo(2);
    assertThat(otherSeed.err()).contains("error: checkpoint " + checkpoint).contains("seed 11").contains("seed 12");

    CliRun none = CliRun.of("steps", "--config", config.toString(), "--batches", "0", "--mnist", mnist);
    assertThat(none.status()).isEqualTo(2);
    assertThat(none.err()).contains("asked for 0 mini-batches");
    assertThat(Arrays.asList(ok.out().split("\n"))).anyMatch(l -> l.startsWith("| >= 0.5 |"));
    // One epoch has moved every layer; the initial weights have not moved.
    Matcher moved = Pattern.compile("(?m)^\\| W\\^(\\d) \\| ([0-9.]+) \\| ([0-9.]+) \\|$").matcher(ok.out());
    int layers = 0;
    while (moved.find()) {
      assertThat(Double.parseDouble(moved.group(2))).isPositive();
      assertThat(Double.parseDouble(moved.group(3))).isPositive();
      layers++;
    }
    assertThat(layers).isEqualTo(2);
    assertThat(ok.out()).contains("W^k(0) the initial weights of seed 11").doesNotContain("Fixed feedback weights")
        .doesNotContain("Unchecked");

    // Copied out of its run folder and given a config with another init: under TF no B^k shows the
    // other start, the checkpoint's record of it does.
    Path alone = Files.createDirectories(dir.resolve("alone")).resolve("checkpoint.json.gz");
    Files.copy(Path.of(checkpoint), alone);
    Path otherInit = dir.resolve("MA-TF-30-init.json");
    Files.writeString(otherInit, Files.readString(config).replace("\"init\": 0.2", "\"init\": 0.3"));
    CliRun elsewhere = CliRun.of("steps", "--config", otherInit.toString(), "--checkpoint", alone.toString(),
        "--seed", "11", "--batches", "1", "--mnist", mnist);
    assertThat(elsewhere.status()).isEqualTo(2);
    assertThat(elsewhere.err()).contains("error: checkpoint " + alone + " started from other initial weights")
        .contains("than " + otherInit + " with seed 11 gives");
    assertThat(elsewhere.out()).isEmpty();
    // A checkpoint from before starts were recorded, alone: compared, and the output says what was assumed.
    Checkpoints.rewriteStart(alone, null);
    CliRun assumed = CliRun.of("steps", "--config", config.toString(), "--checkpoint", alone.toString(), "--seed",
        "11", "--batches", "1", "--mnist", mnist);
    assertThat(assumed.status()).as(assumed.err()).isZero();
    assertThat(assumed.out()).contains("Unchecked: this checkpoint does not record its initial weights (written before"
        + " they were) and has no config.json beside it, so that it started from those of seed 11 is assumed.");
  }

  /** At the initial weights of an FA row: against FA backprop, or refused on a TF row; an empty class prints "-". */
  @Test
  void comparesWithFeedbackAlignmentForAnFaRow(@TempDir Path dir) throws Exception {
    String mnist = Mnist.defaultDir().toString();
    Path fa = dir.resolve("MA-FA-30.json");
    Files.writeString(fa, Files.readString(Path.of("configs/table1/MA-FA-500.json")).replace("500", "30")
        .replace("\"MA-FA-30\"", "\"MA-FA-500\""));
    CliRun ok = CliRun.of("steps", "--config", fa.toString(), "--batches", "1", "--backprop-feedback", "FA",
        "--mnist", mnist);
    assertThat(ok.status()).as(ok.err()).isZero();
    assertThat(ok.out()).contains("| W^k | abs(dW ghost) / abs(dW FA backprop MSE) | cosine |");
    // At the initial weights (init 0.2) no output is within 0.05 of its target: that class has no ratio.
    assertThat(ok.out()).contains("| [0.0, 0.05) | 0.0% | - |");
    // Every initial weight is U(-0.2, 0.2): rms 0.2 / sqrt(3) = 0.1155 up to sampling; none has moved.
    Matcher w1 = Pattern.compile("(?m)^\\| W\\^1 \\| ([0-9.]+) \\| 0\\.000 \\|$").matcher(ok.out());
    assertThat(w1.find()).as(ok.out()).isTrue();
    assertThat(Double.parseDouble(w1.group(1))).isCloseTo(0.2 / Math.sqrt(3), within(0.005));
    Matcher b1 = Pattern.compile("Fixed feedback weights \\(FA; the same bits as the initial ones\\), rms of the"
        + " entries: B\\^1 ([0-9.]+)\\.").matcher(ok.out());
    assertThat(b1.find()).as(ok.out()).isTrue();
    assertThat(Double.parseDouble(b1.group(1))).isCloseTo(0.2 / Math.sqrt(3), within(0.01));
    // A checkpoint trained under another init (same name and seed): no distance is printed from the
    // wrong start. In its run folder config.json says so; copied out of it, its record of its start
    // does, and without that record (an older checkpoint) its B^1.
    Path run = dir.resolve("run");
    assertThat(Main.execute("train", "--config", fa.toString(), "--out", run.toString(), "--epochs", "1",
        "--train-limit", "100", "--test-limit", "100", "--no-progress", "--mnist", mnist)).isZero();
    Path otherInit = dir.resolve("MA-FA-30-init.json");
    Files.writeString(otherInit, Files.readString(fa).replace("\"init\": 0.2", "\"init\": 0.3"));
    CliRun inFolder = CliRun.of("steps", "--config", otherInit.toString(), "--checkpoint",
        run.resolve("checkpoint.json.gz").toString(), "--batches", "1", "--mnist", mnist);
    assertThat(inFolder.status()).isEqualTo(2);
    assertThat(inFolder.err()).contains("run folder " + run.toAbsolutePath() + " was trained with config.json")
        .contains("differs from " + otherInit + " in init 0.2 vs 0.3 (saved vs given)");
    assertThat(inFolder.out()).isEmpty();
    Path alone = Files.createDirectories(dir.resolve("alone")).resolve("checkpoint.json.gz");
    Files.copy(run.resolve("checkpoint.json.gz"), alone);
    CliRun outOfFolder = CliRun.of("steps", "--config", otherInit.toString(), "--checkpoint", alone.toString(),
        "--batches", "1", "--mnist", mnist);
    assertThat(outOfFolder.status()).isEqualTo(2);
    assertThat(outOfFolder.err()).contains("started from other initial weights");
    assertThat(outOfFolder.out()).isEmpty();
    Checkpoints.rewriteStart(alone, null);
    CliRun older = CliRun.of("steps", "--config", otherInit.toString(), "--checkpoint", alone.toString(),
        "--batches", "1", "--mnist", mnist);
    assertThat(older.status()).isEqualTo(2);
    assertThat(older.err()).contains("the fixed B^1 differs from the initial one");
    assertThat(older.out()).isEmpty();

    Path tf = dir.resolve("MA-TF-30.json");
    Files.writeString(tf, Files.readString(Path.of("configs/table1/MA-TF-500.json")).replace("500", "30")
        .replace("\"MA-TF-30\"", "\"MA-TF-500\""));
    CliRun refused = CliRun.of("steps", "--config", tf.toString(), "--backprop-feedback", "FA", "--mnist", mnist);
    assertThat(refused.status()).isEqualTo(2);
    assertThat(refused.err()).contains("--backprop-feedback FA needs a config with FA feedback (its fixed B^k);"
        + " MA-TF-500 has TF");
  }
}
