package ghostunits.plasticity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ghostunits.model.Feedback;
import ghostunits.testing.Checkpoints;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run folder keeps one run: no silent overwrite, and a resume only where everything it reads agrees. */
class RunFolderTest {
  private static final TrainConfig CONFIG = Fixtures.config("MA", Feedback.FA, new int[] {6, 5, 3}, new int[] {3}, 0.3,
      1.0, 4);
  private static final String METHOD = "FAST";

  /** A folder as `train` leaves it after {@code epochs} epochs of a run of CONFIG, seed 7, on 40 / 20 images. */
  private static DenseNetwork trained(RunFolder folder, int epochs) {
    DenseNetwork net = DenseNetwork.initial(CONFIG, new Random(7));
    folder.writeConfig(CONFIG);
    List<Curves.Row> rows = new ArrayList<>();
    for (int e = 1; e <= epochs; e++) {
      rows.add(new Curves.Row(e, 50 + e, 0.2, 49 + e, 0.21, 1.5));
      folder.saveEpoch(rows, "test", Checkpoint.of(CONFIG.name(), 7, e, METHOD, 40, 20, net.fingerprint(), net));
    }
    return net;
  }

  private static RunFolder.Resumed resume(RunFolder folder, TrainConfig c) {
    return folder.resume(c, "given.json", 7, METHOD, 40, 20);
  }

  @Test
  void resumeReadsBackTheNetworkTheEpochAndEveryRow(@TempDir Path dir) {
    RunFolder folder = new RunFolder(dir.resolve("run"));
    DenseNetwork net = trained(folder, 3);
    RunFolder.Resumed r = resume(folder, CONFIG);
    assertThat(r.checkpointFile()).isEqualTo(folder.checkpointFile());
    assertThat(r.network().sameBits(net)).isTrue();
    assertThat(r.epochsDone()).isEqualTo(3);
    assertThat(r.rows()).extracting(Curves.Row::epoch).containsExactly(1, 2, 3);
    assertThat(r.initialWeightsSha256()).isEqualTo(DenseNetwork.initial(CONFIG, new Random(7)).fingerprint());
    assertThat(folder.plotFile()).exists();
    assertThat(dir.resolve("run")).isDirectoryNotContaining("glob:**.tmp");
  }

  @Test
  void aFreshStartIsRefusedWhereARunIsAndOverwriteClearsIt(@TempDir Path dir) throws IOException {
    RunFolder empty = new RunFolder(dir.resolve("empty"));
    empty.prepareFreshStart(false, false); // nothing there: nothing to refuse
    empty.writeConfig(CONFIG);
    empty.prepareFreshStart(false, false); // a config alone is not a run (it died before its first epoch)

    RunFolder folder = new RunFolder(dir.resolve("run"));
    trained(folder, 2);
    assertThatThrownBy(() -> folder.prepareFreshStart(false, false)).isInstanceOf(TrainingException.class)
        .hasMessage("run folder " + folder.dir() + " already holds a run (checkpoint checkpoint.json.gz); starting from"
            + " scratch would replace it: add --resume to continue it, --out <folder> to train elsewhere, or"
            + " --overwrite to replace it");
    assertThat(folder.checkpointFile()).exists();
    assertThatThrownBy(() -> folder.prepareFreshStart(false, true)).isInstanceOf(TrainingException.class)
        .hasMessage("run folder " + folder.dir() + " already holds a run (checkpoint checkpoint.json.gz); the branch"
            + " would replace it: --out <folder> to train elsewhere, or --overwrite to replace it");
    folder.prepareFreshStart(true, false);
    assertThat(folder.existingCheckpoint()).isNull();
    assertThat(folder.metricsFile()).doesNotExist();
    assertThat(folder.plotFile()).doesNotExist();

    // Metrics without a checkpoint (a run stopped before its checkpoint, or a plot-only folder) count too.
    Curves.write(folder.metricsFile(), List.of(new Curves.Row(1, 50, 0.2, 49, 0.2, 1)));
    assertThatThrownBy(() -> folder.prepareFreshStart(false, false)).isInstanceOf(TrainingException.class)
        .hasMessage("run folder " + folder.dir() + " holds metrics.csv but no checkpoint to continue from; starting"
            + " from scratch would replace it: --out <folder> to train elsewhere, or --overwrite to replace it");
  }

  @Test
  void aPlainCheckpointOfTheFirstBuildIsResumedAndThenSuperseded(@TempDir Path dir) throws IOException {
    RunFolder folder = new RunFolder(dir.resolve("run"));
    DenseNetwork net = trained(folder, 2);
    Checkpoint.load(folder.checkpointFile()).save(folder.plainCheckpointFile());
    Files.delete(folder.checkpointFile());
    assertThat(Files.readString(folder.plainCheckpointFile())).startsWith("{");
    assertThat(folder.existingCheckpoint()).isEqualTo(folder.plainCheckpointFile());
    RunFolder.Resumed r = resume(folder, CONFIG);
    assertThat(r.network().sameBits(net)).isTrue();
    List<Curves.Row> rows = new ArrayList<>(r.rows());
    rows.add(new Curves.Row(3, 53, 0.2, 52, 0.2, 1));
    folder.saveEpoch(rows, "test", Checkpoint.of(CONFIG.name(), 7, 3, METHOD, 40, 20, r.initialWeightsSha256(), net));
    assertThat(folder.plainCheckpointFile()).doesNotExist();
    assertThat(folder.existingCheckpoint()).isEqualTo(folder.checkpointFile());
  }

  @Test
  void aChangedConfigIsRefusedNamingEachField(@TempDir Path dir) {
    RunFolder folder = new RunFolder(dir.resolve("run"));
    trained(folder, 1);
    TrainConfig c = CONFIG;
    TrainConfig faster = new TrainConfig(c.name(), c.model(), c.feedback(), c.widths(), c.ghosts(), c.dt(), c.tau(),
        c.init(), c.freeSteps(), c.nudgedSteps(), 2.0, c.batch(), c.epochs(), new double[] {0.3, 0.1}, c.etaGhost(),
        c.divideByBeta(), c.ghostMode(), c.paperTrain(), c.paperTest(), c.notes());
    assertThatThrownBy(() -> resume(folder, faster)).isInstanceOf(TrainingException.class)
        .hasMessage("run folder " + folder.dir() + " was trained with config.json, which differs from given.json in"
            + " beta 1.0 vs 2.0; etaW [0.1, 0.1] vs [0.3, 0.1] (saved vs given): resuming would continue the run under"
            + " other settings; train into another folder (--out), or restore the config");
    // More epochs, other paper numbers or notes do not change what is learned: accepted.
    TrainConfig longer = new TrainConfig(c.name(), c.model(), c.feedback(), c.widths(), c.ghosts(), c.dt(), c.tau(),
        c.init(), c.freeSteps(), c.nudgedSteps(), c.beta(), c.batch(), 300, c.etaW(), c.etaGhost(), c.divideByBeta(),
        c.ghostMode(), 99, 98, "other notes");
    assertThat(resume(folder, longer).epochsDone()).isEqualTo(1);
  }

  /** Same config.json, seed and name, another start (a config file edited by hand, or another build's draw). */
  @Test
  void aCheckpointThatStartedElsewhereIsRefused(@TempDir Path dir) {
    RunFolder folder = new RunFolder(dir.resolve("run"));
    DenseNetwork net = trained(folder, 1);
    String elsewhere = DenseNetwork.initial(CONFIG, new Random(8)).fingerprint();
    Checkpoints.rewriteStart(folder.checkpointFile(), elsewhere);
    assertThatThrownBy(() -> resume(folder, CONFIG)).isInstanceOf(TrainingException.class)
        .hasMessageStartingWith("checkpoint " + folder.checkpointFile() + " started from other initial weights (SHA-256 "
            + elsewhere + ") than given.json with seed 7 gives (" + net.fingerprint() + "): ");
  }

  @Test
  void aCheckpointWithoutItsConfigIsRefused(@TempDir Path dir) throws IOException {
    RunFolder folder = new RunFolder(dir.resolve("run"));
    trained(folder, 1);
    Files.delete(folder.configFile());
    assertThatThrownBy(() -> resume(folder, CONFIG)).isInstanceOf(TrainingException.class)
        .hasMessage("run folder " + folder.dir() + " has a checkpoint but no config.json, so whether it was trained"
            + " with given.json cannot be checked; restore config.json, or start anew with --overwrite");
  }

  @Test
  void anotherSeedMethodOrDataIsRefused(@TempDir Path dir) {
    RunFolder folder = new RunFolder(dir.resolve("run"));
    trained(folder, 1);
    Path cp = folder.checkpointFile();
    assertThatThrownBy(() -> folder.resume(CONFIG, "given.json", 8, METHOD, 40, 20))
        .isInstanceOf(TrainingException.class)
        .hasMessage("checkpoint " + cp + " is of config test, seed 7, path FAST; this run is test, seed 8, path FAST");
    assertThatThrownBy(() -> folder.resume(CONFIG, "given.json", 7, "BACKPROP_MSE", 40, 20))
        .isInstanceOf(TrainingException.class).hasMessageEndingWith("this run is test, seed 7, path BACKPROP_MSE");
    assertThatThrownBy(() -> folder.resume(CONFIG, "given.json", 7, METHOD, 41, 20))
        .isInstanceOf(TrainingException.class)
        .hasMessage("checkpoint " + cp + " trained on 40 and tested on 20 images; this run would train on 41 and test"
            + " on 20 (--train-limit, --test-limit)");
    assertThatThrownBy(() -> folder.resume(CONFIG, "given.json", 7, METHOD, 40, 19))
        .isInstanceOf(TrainingException.class).hasMessageContaining("would train on 40 and test on 19");
  }

  @Test
  void aCheckpointThatDoesNotRecordItsDataIsAccepted(@TempDir Path dir) {
    RunFolder folder = new RunFolder(dir.resolve("run"));
    DenseNetwork net = trained(folder, 1);
    Checkpoint c = Checkpoint.of(CONFIG.name(), 7, 1, METHOD, 40, 20, null, net);
    new Checkpoint(c.config(), c.seed(), c.epochsDone(), c.path(), null, null, null, c.modelA(), c.feedback(),
        c.widths(), c.ghosts(), c.w(), c.fixedB(), c.gamma(), c.omega()).save(folder.checkpointFile());
    RunFolder.Resumed r = folder.resume(CONFIG, "given.json", 7, METHOD, 55_000, 10_000);
    assertThat(r.network().sameBits(net)).isTrue();
    assertThat(r.initialWeightsSha256()).isNull(); // not filled in after the fact
  }

  @Test
  void metricsMustCoverEveryEpochTheCheckpointHasDone(@TempDir Path dir) throws IOException {
    RunFolder folder = new RunFolder(dir.resolve("run"));
    trained(folder, 3);
    Path csv = folder.metricsFile();
    List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);

    // Rows ahead of the checkpoint (a crash between the two writes) are dropped, to be retrained.
    List<String> ahead = new ArrayList<>(lines);
    ahead.add(ahead.get(3).replaceFirst("^3,", "4,"));
    Files.write(csv, ahead, StandardCharsets.UTF_8);
    assertThat(resume(folder, CONFIG).rows()).extracting(Curves.Row::epoch).containsExactly(1, 2, 3);

    Files.write(csv, List.of(lines.get(0), lines.get(1), lines.get(3)), StandardCharsets.UTF_8);
    assertThatThrownBy(() -> resume(folder, CONFIG)).isInstanceOf(TrainingException.class)
        .hasMessage("metrics file " + csv + " row 2 is of epoch 3, expected epoch 2: its curve would have a gap or a"
            + " repeat; restore the file, or start anew with --overwrite");
    Files.write(csv, List.of(lines.get(0), lines.get(1), lines.get(2)), StandardCharsets.UTF_8);
    assertThatThrownBy(() -> resume(folder, CONFIG)).isInstanceOf(TrainingException.class)
        .hasMessage("metrics file " + csv + " has rows for epochs 1-2 but the checkpoint is after epoch 3: the curve"
            + " would lose epoch 3; restore the file, or start anew with --overwrite");
    Files.delete(csv);
    assertThatThrownBy(() -> resume(folder, CONFIG)).isInstanceOf(TrainingException.class)
        .hasMessage("metrics file " + csv + " has no row but the checkpoint is after epoch 3: the curve would lose"
            + " epochs 1-3; restore the file, or start anew with --overwrite");
  }

  /**
   * A branch reads another run's checkpoint, learned any way, with its curve up to the checkpoint's
   * epoch (later rows, written before a crash, dropped); it is refused where the checkpoint is of
   * another config, seed or data, started elsewhere, cannot be checked, or has no curve beside it.
   */
  @Test
  void aBranchReadsAnotherRunsCheckpointAndCurveOrIsRefused(@TempDir Path dir) throws IOException {
    RunFolder source = new RunFolder(dir.resolve("source"));
    DenseNetwork net = trained(source, 3);
    Path file = source.checkpointFile();
    // Another way of learning is what a branch changes: accepted (requireMatch with no method).
    Checkpoint cp = Checkpoint.load(file);
    Checkpoint.of(CONFIG.name(), 7, 3, "BACKPROP_MSE", 40, 20, cp.initialWeightsSha256(), net).save(file);
    // A row after the checkpoint's epoch (a crash between metrics and checkpoint) is not carried.
    List<Curves.Row> rows = new ArrayList<>(Curves.read(source.metricsFile()));
    rows.add(new Curves.Row(4, 60, 0.1, 59, 0.1, 1));
    Curves.write(source.metricsFile(), rows);
    RunFolder.Resumed b = RunFolder.branch(file, CONFIG, "given.json", 7, 40, 20);
    assertThat(b.network().sameBits(net)).isTrue();
    assertThat(b.epochsDone()).isEqualTo(3);
    assertThat(b.rows()).extracting(Curves.Row::epoch).containsExactly(1, 2, 3);
    assertThat(b.initialWeightsSha256()).isEqualTo(DenseNetwork.initial(CONFIG, new Random(7)).fingerprint());

    assertThatThrownBy(() -> RunFolder.branch(dir.resolve("none.json.gz"), CONFIG, "given.json", 7, 40, 20))
        .hasMessage("--from " + dir.resolve("none.json.gz") + ": no such checkpoint file");
    assertThatThrownBy(() -> RunFolder.branch(file, CONFIG, "given.json", 8, 40, 20))
        .hasMessageContaining("is of config " + CONFIG.name() + ", seed 7").hasMessageContaining("seed 8");
    assertThatThrownBy(() -> RunFolder.branch(file, CONFIG, "given.json", 7, 41, 20))
        .isInstanceOf(TrainingException.class)
        .hasMessageContaining("trained on 40 and tested on 20 images; this run would train on 41 and test on 20");
    Checkpoints.rewriteStart(file, "0".repeat(64));
    assertThatThrownBy(() -> RunFolder.branch(file, CONFIG, "given.json", 7, 40, 20))
        .isInstanceOf(TrainingException.class).hasMessageContaining("given.json with seed 7");
    // No recorded start and no config.json: nothing to check the origin by.
    Checkpoints.rewriteStart(file, null);
    Files.delete(source.configFile());
    assertThatThrownBy(() -> RunFolder.branch(file, CONFIG, "given.json", 7, 40, 20))
        .hasMessage("checkpoint " + file + " records no start and has no config.json beside it: whether it was"
            + " trained from given.json with seed 7 cannot be checked, so a run branched from it could not say where"
            + " it started");
    // Checkable (config.json back) but no curve beside it.
    source.writeConfig(CONFIG);
    Files.delete(source.metricsFile());
    assertThatThrownBy(() -> RunFolder.branch(file, CONFIG, "given.json", 7, 40, 20))
        .hasMessage("checkpoint " + file + " has no metrics.csv beside it: the branched run's curve would lack epochs"
            + " 1-3; branch from a run folder (or put its metrics.csv there)");
    // A curve with a gap is refused as a resume refuses it.
    Curves.write(source.metricsFile(), List.of(rows.get(0), rows.get(2)));
    assertThatThrownBy(() -> RunFolder.branch(file, CONFIG, "given.json", 7, 40, 20))
        .isInstanceOf(TrainingException.class).hasMessageContaining("row 2 is of epoch 3");
  }
}
