package ghostunits.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ghostunits.data.Mnist;
import ghostunits.plasticity.Checkpoint;
import ghostunits.plasticity.Curves;
import ghostunits.plasticity.DenseNetwork;
import ghostunits.plasticity.TrainConfig;
import ghostunits.plasticity.Trainer;
import ghostunits.testing.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The train command end to end on a few hundred examples: outputs, and resume = uninterrupted run, bitwise. */
class TrainCommandTest {
  /** The train arguments of these tests: 300 training and 200 test images, seed 11. */
  private static String[] args(Path config, Path out, int epochs) {
    return new String[] {"train", "--config", config.toString(), "--out", out.toString(), "--epochs",
        String.valueOf(epochs), "--train-limit", "300", "--test-limit", "200", "--seed", "11", "--no-progress"};
  }

  private static int train(Path config, Path out, int epochs, boolean resume) {
    String[] a = args(config, out, epochs);
    return Main.execute(resume ? plus(a, "--resume") : a);
  }

  private static String[] plus(String[] args, String... more) {
    String[] out = Arrays.copyOf(args, args.length + more.length);
    System.arraycopy(more, 0, out, args.length, more.length);
    return out;
  }

  /** A copy of {@code args} with the value after {@code option} replaced. */
  private static String[] with(String[] args, String option, String value) {
    String[] out = args.clone();
    out[Arrays.asList(out).indexOf(option) + 1] = value;
    return out;
  }

  /** configs/table1/{@code row}.json with 30 hidden units instead of 500, under the row's own name. */
  private static Path small(Path dir, String row) throws IOException {
    String shrunk = row.replace("500", "30");
    String json = Files.readString(Path.of("configs/table1/" + row + ".json")).replace("500", "30");
    Path config = dir.resolve(shrunk + ".json");
    Files.writeString(config, json.replace("\"" + shrunk + "\"", "\"" + row + "\""));
    return config;
  }

  @Test
  void resumingGivesTheSameWeightsAsOneRun(@TempDir Path dir) throws Exception {
    Path config = small(dir, "MA-FA-500");
    assertThat(train(config, dir.resolve("straight"), 2, false)).isZero();
    assertThat(train(config, dir.resolve("split"), 1, true)).isZero();
    // The first leg's metrics as a run from before the fallback count wrote them (six columns).
    Path csv = dir.resolve("split/metrics.csv");
    Files.writeString(csv, Files.readAllLines(csv).stream().map(l -> l.substring(0, l.lastIndexOf(',')))
        .collect(java.util.stream.Collectors.joining("\n", "", "\n")));
    assertThat(Files.readAllLines(csv).get(0)).isEqualTo(Curves.HEADER_WITHOUT_FALLBACKS);
    assertThat(train(config, dir.resolve("split"), 2, true)).isZero();
    Checkpoint a = Checkpoint.load(dir.resolve("straight/checkpoint.json.gz"));
    Checkpoint b = Checkpoint.load(dir.resolve("split/checkpoint.json.gz"));
    assertThat(a.epochsDone()).isEqualTo(2);
    assertThat(b.epochsDone()).isEqualTo(2);
    assertThat(a.network().sameBits(b.network())).isTrue();
    // Both record where they started, the resumed one carried over from its first leg.
    String start = DenseNetwork.initial(TrainConfig.load(config), new Random(11)).fingerprint();
    assertThat(a.initialWeightsSha256()).isEqualTo(start);
    assertThat(b.initialWeightsSha256()).isEqualTo(start);
    // Each epoch's fallback count is recorded (none needed here), the old epoch's kept unknown.
    assertThat(Curves.read(dir.resolve("straight/metrics.csv"))).extracting(Curves.Row::newtonFallbacks)
        .containsExactly(0L, 0L);
    assertThat(Curves.read(csv)).extracting(Curves.Row::newtonFallbacks)
        .containsExactly(Curves.Row.NOT_RECORDED, 0L);
    assertThat(Files.readAllLines(csv).get(0)).isEqualTo(Curves.HEADER);
    assertThat(dir.resolve("split/curves.png")).exists();
  }

  /**
   * Where Newton fails, metrics.csv holds each epoch's count of solves the Euler dynamics settled,
   * the count the training steps report, and the log says so. Weights drawn 25 times wider than the
   * row's (U(-5, 5)) saturate the units so that MA's reduced Newton fails on a few examples per
   * epoch (checked: not none) while the dynamics still settle them.
   */
  @Test
  void theFallbackCountOfEachEpochIsRecorded(@TempDir Path dir) throws Exception {
    Path config = small(dir, "MA-TF-500");
    Files.writeString(config, Files.readString(config).replace("\"init\": 0.2", "\"init\": 5.0"));
    TrainConfig c = TrainConfig.load(config);
    assertThat(c.init()).isEqualTo(5.0);
    CliRun run = CliRun.of(plus(args(config, dir.resolve("wide"), 2), "--mnist", Mnist.defaultDir().toString()));
    assertThat(run.status()).as(run.err()).isZero();

    // The same two epochs step by step: same initial weights, data order and batches.
    DenseNetwork net = DenseNetwork.initial(c, new Random(11));
    Mnist.Split train = Mnist.open(Mnist.defaultDir()).paperTrain().first(300);
    Trainer trainer = new Trainer(c, Trainer.Path.FAST);
    long[] counts = new long[2];
    for (int epoch = 1; epoch <= 2; epoch++) {
      int[] order = Trainer.order(11, epoch, train.size());
      for (int i = 0; i < train.size() / c.batch(); i++) {
        DMatrixRMaj[] xy = Trainer.batch(train, order, i * c.batch(), c.batch());
        trainer.step(net, xy[0], xy[1]);
      }
      counts[epoch - 1] = trainer.fallbacks().count();
      trainer.fallbacks().clear();
    }
    assertThat(counts).as("fallbacks per epoch").doesNotContain(0L);
    assertThat(Checkpoint.load(dir.resolve("wide/checkpoint.json.gz")).network().sameBits(net)).isTrue();
    assertThat(Curves.read(dir.resolve("wide/metrics.csv"))).extracting(Curves.Row::newtonFallbacks)
        .containsExactly(counts[0], counts[1]);
    assertThat(run.out() + run.err()).contains("epoch 1: Newton failed in " + counts[0] + " equilibrium solve")
        .contains("epoch 2: Newton failed in " + counts[1] + " equilibrium solve");
  }

  @Test
  void backpropBaselineTrainsTheRowsNetworkInItsOwnFolder(@TempDir Path dir) throws Exception {
    Path config = small(dir, "MA-TF-500");
    Path runs = dir.resolve("runs");
    String[] base = {"train", "--config", config.toString(), "--epochs", "1", "--train-limit", "300",
        "--test-limit", "200", "--seed", "11", "--no-progress", "--mnist", ghostunits.data.Mnist.defaultDir().toString()};
    String[] bp = plus(base, "--backprop", "BCE", "--out", runs.resolve("bp").toString());
    assertThat(Main.execute(bp)).isZero();
    Checkpoint cp = Checkpoint.load(runs.resolve("bp/checkpoint.json.gz"));
    assertThat(cp.path()).isEqualTo("BACKPROP_BCE");
    assertThat(cp.epochsDone()).isEqualTo(1);
    // Not the ghost network's run: the same seed and config by the FAST path learn other weights.
    String[] ghost = plus(base, "--out", runs.resolve("ghost").toString());
    assertThat(Main.execute(ghost)).isZero();
    assertThat(Checkpoint.load(runs.resolve("ghost/checkpoint.json.gz")).network().sameBits(cp.network())).isFalse();
    // A baseline does not resume from a ghost run's checkpoint (nor the reverse): refused, exit 2,
    // before any training (the ghost run's checkpoint and metrics are as they were).
    Checkpoint ghostBefore = Checkpoint.load(runs.resolve("ghost/checkpoint.json.gz"));
    String metricsBefore = Files.readString(runs.resolve("ghost/metrics.csv"));
    String[] mixed = plus(with(with(bp, "--out", runs.resolve("ghost").toString()), "--epochs", "2"), "--resume");
    CliRun refused = CliRun.of(mixed);
    assertThat(refused.status()).isEqualTo(2);
    // The message names the checkpoint and both methods, so the user sees what clashed.
    assertThat(refused.err()).contains("error: checkpoint " + runs.resolve("ghost").resolve("checkpoint.json.gz"))
        .contains("path FAST").contains("path BACKPROP_BCE");
    Checkpoint ghostAfter = Checkpoint.load(runs.resolve("ghost/checkpoint.json.gz"));
    assertThat(ghostAfter.epochsDone()).isEqualTo(1);
    assertThat(ghostAfter.path()).isEqualTo("FAST");
    assertThat(ghostAfter.network().sameBits(ghostBefore.network())).isTrue();
    assertThat(Files.readString(runs.resolve("ghost/metrics.csv"))).isEqualTo(metricsBefore);
  }

  /**
   * A run is never replaced by accident: from scratch into a folder that holds one is refused
   * (exit 2, nothing touched) unless --overwrite; --resume continues it, and a resume that would
   * mix configs or data sizes is refused.
   */
  @Test
  void aRunFolderIsReplacedOnlyWhenAskedAndResumedOnlyUnderItsOwnSettings(@TempDir Path dir) throws Exception {
    Path config = small(dir, "MA-TF-500");
    Path run = dir.resolve("run");
    assertThat(train(config, run, 1, false)).isZero();
    String metrics = Files.readString(run.resolve("metrics.csv"));
    String[] again = args(config, run, 1);
    CliRun refused = CliRun.of(again);
    assertThat(refused.status()).isEqualTo(2);
    assertThat(refused.err()).contains("error: run folder " + run + " already holds a run (checkpoint"
        + " checkpoint.json.gz)").contains("--overwrite");
    assertThat(Files.readString(run.resolve("metrics.csv"))).isEqualTo(metrics);
    assertThat(CliRun.of(plus(again, "--resume", "--overwrite")).err())
        .contains("--resume and --overwrite exclude each other");

    // Resuming with other data sizes, or with a config whose rate was edited, is refused.
    String[] resumed = plus(with(again, "--epochs", "2"), "--resume");
    assertThat(CliRun.of(with(resumed, "--train-limit", "400")).err()).contains("trained on 300 and tested on 200"
        + " images; this run would train on 400 and test on 200");
    String edited = Files.readString(config).replace("\"etaW\": [\n    0.1,", "\"etaW\": [\n    0.3,");
    assertThat(edited).contains("0.3,");
    Files.writeString(config, edited);
    CliRun changed = CliRun.of(resumed);
    assertThat(changed.status()).isEqualTo(2);
    assertThat(changed.err()).contains("differs from " + config + " in etaW [0.1, 0.1] vs [0.3, 0.1] (saved vs given)");
    assertThat(Files.readString(run.resolve("metrics.csv"))).isEqualTo(metrics);

    assertThat(Main.execute(plus(again, "--overwrite"))).isZero();
    assertThat(Files.readString(run.resolve("config.json"))).contains("0.3");

    String[] tooFew = with(with(again, "--train-limit", "99"), "--out", dir.resolve("other").toString());
    assertThat(CliRun.of(tooFew).err()).contains("--train-limit 99 and --test-limit 200: need at least one mini-batch"
        + " (100 images) to train on and one image to test on");
  }

  @Test
  void theLogSaysWhenNothingIsLeftToTrain() {
    assertThat(TrainCommand.epochRange(7, 50)).isEqualTo("epochs 8..50");
    assertThat(TrainCommand.epochRange(49, 50)).isEqualTo("epochs 50..50");
    assertThat(TrainCommand.epochRange(50, 50)).isEqualTo("already 50 epochs done (--epochs 50): nothing to train");
    assertThat(TrainCommand.epochRange(107, 50)).isEqualTo("already 107 epochs done (--epochs 50): nothing to train");
  }

  /** The feedback-alignment baseline learns through the FA row's B, in its own folder; refused where there is no B. */
  @Test
  void feedbackAlignmentBaselineUsesTheRowsB(@TempDir Path dir) throws Exception {
    Path config = small(dir, "MA-FA-500");
    Path runs = dir.resolve("runs");
    String[] base = {"train", "--config", config.toString(), "--epochs", "1", "--train-limit", "300",
        "--test-limit", "200", "--seed", "11", "--no-progress", "--backprop", "MSE"};
    assertThat(Main.execute(plus(base, "--backprop-feedback", "FA", "--out", runs.resolve("fa").toString()))).isZero();
    assertThat(Main.execute(plus(base, "--out", runs.resolve("tf").toString()))).isZero();
    Checkpoint fa = Checkpoint.load(runs.resolve("fa/checkpoint.json.gz"));
    Checkpoint tf = Checkpoint.load(runs.resolve("tf/checkpoint.json.gz"));
    assertThat(fa.path()).isEqualTo("BACKPROP_MSE_FA");
    assertThat(tf.path()).isEqualTo("BACKPROP_MSE");
    assertThat(fa.network().sameBits(tf.network())).isFalse();
    // Both start from the same W and B (the seed's); B is fixed, so both still hold it.
    assertThat(fa.fixedB().get(0).data()).isEqualTo(tf.fixedB().get(0).data());

    CliRun onTf = CliRun.of(plus(with(base, "--config", small(dir, "MA-TF-500").toString()), "--backprop-feedback",
        "FA", "--out", runs.resolve("x").toString()));
    assertThat(onTf.status()).isEqualTo(2);
    assertThat(onTf.err()).contains("--backprop-feedback FA needs a config with FA feedback (its fixed B^k);"
        + " MA-TF-500 has TF");
    String[] ghost = Arrays.copyOf(base, base.length - 2);
    assertThat(CliRun.of(plus(ghost, "--backprop-feedback", "FA", "--out", runs.resolve("y").toString())).err())
        .contains("--backprop-feedback FA is an option of --backprop");
    assertThat(runs.resolve("x")).doesNotExist();
    assertThat(runs.resolve("y")).doesNotExist();
  }

  /**
   * --from branches a run at another run's checkpoint: with the same rule it is bitwise the
   * uninterrupted run, its curve carried over; with --hidden-step BACKPROP it learns otherwise,
   * records its own way of learning and the common start, and resumes alone. Refusals name the value.
   */
  @Test
  void aBranchStartsAtAnotherRunsCheckpointWithItsCurve(@TempDir Path dir) throws Exception {
    Path config = small(dir, "MA-TF-500");
    assertThat(train(config, dir.resolve("straight"), 2, false)).isZero();
    assertThat(train(config, dir.resolve("first"), 1, false)).isZero();
    Path firstCheckpoint = dir.resolve("first/checkpoint.json.gz");
    assertThat(Main.execute(plus(args(config, dir.resolve("same"), 2), "--from", firstCheckpoint.toString())))
        .isZero();
    Checkpoint straight = Checkpoint.load(dir.resolve("straight/checkpoint.json.gz"));
    Checkpoint same = Checkpoint.load(dir.resolve("same/checkpoint.json.gz"));
    assertThat(same.network().sameBits(straight.network())).isTrue();
    assertThat(same.path()).isEqualTo("FAST");
    assertThat(same.initialWeightsSha256()).isEqualTo(straight.initialWeightsSha256());
    java.util.List<Curves.Row> carried = Curves.read(dir.resolve("same/metrics.csv"));
    assertThat(carried).hasSize(2);
    assertThat(carried.get(0)).isEqualTo(Curves.read(dir.resolve("first/metrics.csv")).get(0));
    assertThat(carried.get(1).testAccuracy())
        .isEqualTo(Curves.read(dir.resolve("straight/metrics.csv")).get(1).testAccuracy());

    String[] hybrid = plus(args(config, dir.resolve("hybrid"), 2), "--hidden-step", "BACKPROP");
    CliRun branched = CliRun.of(plus(hybrid, "--from", firstCheckpoint.toString()));
    assertThat(branched.status()).as(branched.err()).isZero();
    assertThat(branched.out()).contains("branching MA-TF-500-hidden-backprop from epoch 1 of " + firstCheckpoint)
        .contains("FAST path (hidden layers: backprop's steps, an experiment)");
    Checkpoint h = Checkpoint.load(dir.resolve("hybrid/checkpoint.json.gz"));
    assertThat(h.path()).isEqualTo("FAST_HIDDEN_BACKPROP");
    assertThat(h.initialWeightsSha256()).isEqualTo(straight.initialWeightsSha256());
    assertThat(h.network().sameBits(straight.network())).isFalse();
    assertThat(Main.execute(plus(with(hybrid, "--epochs", "3"), "--resume"))).isZero();
    assertThat(Curves.read(dir.resolve("hybrid/metrics.csv"))).hasSize(3);
    // Resuming it under the row's own rule is refused (another way of learning).
    CliRun ownRule = CliRun.of(plus(args(config, dir.resolve("hybrid"), 4), "--resume"));
    assertThat(ownRule.status()).isEqualTo(2);
    assertThat(ownRule.err()).contains("path FAST_HIDDEN_BACKPROP").contains("path FAST");

    String[] fresh = args(config, dir.resolve("refused"), 2);
    CliRun withResume = CliRun.of(plus(fresh, "--from", firstCheckpoint.toString(), "--resume"));
    assertThat(withResume.status()).isEqualTo(2);
    assertThat(withResume.err()).contains("--from " + firstCheckpoint + " starts a run at another run's checkpoint");
    CliRun nothingToTrain = CliRun.of(plus(with(fresh, "--epochs", "1"), "--from", firstCheckpoint.toString()));
    assertThat(nothingToTrain.err()).contains("--from " + firstCheckpoint + " is after epoch 1 and --epochs is 1:"
        + " the branch would train nothing");
    CliRun missing = CliRun.of(plus(fresh, "--from", dir.resolve("nowhere.json.gz").toString()));
    assertThat(missing.err()).contains("--from " + dir.resolve("nowhere.json.gz") + ": no such checkpoint file");
    CliRun otherSeed = CliRun.of(plus(with(fresh, "--seed", "12"), "--from", firstCheckpoint.toString()));
    assertThat(otherSeed.err()).contains("is of config MA-TF-500, seed 11").contains("this run is MA-TF-500, seed 12");
    Path lone = dir.resolve("lone/checkpoint.json.gz");
    Files.createDirectories(lone.getParent());
    Files.copy(firstCheckpoint, lone);
    CliRun noMetrics = CliRun.of(plus(fresh, "--from", lone.toString()));
    assertThat(noMetrics.err()).contains("checkpoint " + lone + " has no metrics.csv beside it: the branched run's"
        + " curve would lack epochs 1-1");
    CliRun withBaseline = CliRun.of(plus(fresh, "--hidden-step", "BACKPROP", "--backprop", "MSE"));
    assertThat(withBaseline.err()).contains("--backprop MSE trains every layer by backprop: give one of them");
    CliRun learned = CliRun.of(plus(with(fresh, "--config", small(dir, "MA-TF-500-learned").toString()),
        "--hidden-step", "BACKPROP"));
    assertThat(learned.err()).contains("MA-TF-500-learned learns its ghosts between its phases");
    assertThat(dir.resolve("refused")).doesNotExist();
  }
}
