package ghostunits.plasticity;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A training run's folder (config.json, metrics.csv, curves.png, checkpoint.json.gz) and the rules
 * that keep what it holds one run: a run never starts from scratch over another one's files unless
 * asked to, and resumes only where the checkpoint, the saved config, the data and the metrics all
 * agree. Each refusal names the file, both sides and how to go on.
 */
public final class RunFolder {
  private final Path dir;

  public RunFolder(Path dir) {
    this.dir = dir;
  }

  /** The folder that {@code file} (a checkpoint, say) lies in, as a run folder. */
  public static RunFolder holding(Path file) {
    Path parent = file.toAbsolutePath().getParent();
    return new RunFolder(parent != null ? parent : Path.of("."));
  }

  public Path dir() {
    return dir;
  }

  public Path checkpointFile() {
    return dir.resolve("checkpoint.json.gz");
  }

  /** The uncompressed checkpoint of the first build; read on resume, removed once a new one is saved. */
  public Path plainCheckpointFile() {
    return dir.resolve("checkpoint.json");
  }

  public Path metricsFile() {
    return dir.resolve("metrics.csv");
  }

  public Path configFile() {
    return dir.resolve("config.json");
  }

  public Path plotFile() {
    return dir.resolve("curves.png");
  }

  /**
   * How the folder's config.json (which must exist) differs from {@code config} in anything that
   * changes what is learned ("field saved vs given"; empty when nothing does).
   */
  public List<String> savedConfigDifferences(TrainConfig config) {
    return TrainConfig.load(configFile()).trainingDifferences(config);
  }

  /** The checkpoint a resume would read (the gzipped one first), or null when there is none. */
  public @Nullable Path existingCheckpoint() {
    if (Files.exists(checkpointFile())) {
      return checkpointFile();
    }
    return Files.exists(plainCheckpointFile()) ? plainCheckpointFile() : null;
  }

  /**
   * Before a run from scratch: refuses when the folder already holds a run's checkpoint or metrics,
   * which the new run's first epoch would replace; with {@code overwrite} removes them (and the
   * plot) now, so that a new run that stops before its first epoch leaves no stale file behind.
   * {@code branch}: the new run is a branch (train --from), which the refusal names, without
   * offering --resume (which --from excludes).
   */
  public void prepareFreshStart(boolean overwrite, boolean branch) {
    Path cp = existingCheckpoint();
    boolean metrics = Files.exists(metricsFile());
    if (cp == null && !metrics) {
      return;
    }
    if (!overwrite) {
      // With a checkpoint only a run from scratch or a branch gets here (a resume reads it); without one, also --resume.
      String replacing = branch ? "the branch would replace it" : "starting from scratch would replace it";
      throw new TrainingException("run folder " + dir + (cp != null
          ? " already holds a run (checkpoint " + cp.getFileName() + "); " + replacing + ": "
              + (branch ? "" : "add --resume to continue it, ")
              + "--out <folder> to train elsewhere, or --overwrite to replace it"
          : " holds metrics.csv but no checkpoint to continue from; " + replacing + ": --out <folder> to train"
              + " elsewhere, or --overwrite to replace it"));
    }
    try {
      for (Path f : List.of(checkpointFile(), plainCheckpointFile(), metricsFile(), plotFile())) {
        Files.deleteIfExists(f);
      }
    } catch (IOException e) {
      throw new TrainingException("cannot clear run folder " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * What a resumed run continues from; {@code initialWeightsSha256} is the checkpoint's record of
   * the run's start, carried into the run's next checkpoints (null when it has none).
   */
  public record Resumed(Path checkpointFile, DenseNetwork network, int epochsDone, List<Curves.Row> rows,
      @Nullable String initialWeightsSha256) {}

  /**
   * Reads the checkpoint and the metrics of an existing run (there must be a checkpoint), refusing
   * when the run was of another config, seed, way of learning ({@code method}) or data, when the
   * saved config.json differs from {@code config} in anything that changes what is learned, when
   * the checkpoint records a start other than the initial weights of {@code config} and {@code seed},
   * or when metrics.csv lacks a row of an epoch the checkpoint has done. Rows after the checkpoint's
   * epoch (written before a crash that came before its checkpoint) are dropped: they are retrained.
   */
  public Resumed resume(TrainConfig config, String configWhere, long seed, String method, int trainExamples,
      int testExamples) {
    Path file = existingCheckpoint();
    if (file == null) {
      throw new IllegalStateException("resume called on " + dir + ", which has no checkpoint");
    }
    Checkpoint cp = Checkpoint.load(file);
    cp.requireMatch(file, config.name(), seed, method);
    cp.requireSameData(file, trainExamples, testExamples);
    if (!Files.isRegularFile(configFile())) {
      throw new TrainingException("run folder " + dir + " has a checkpoint but no config.json, so whether it was"
          + " trained with " + configWhere + " cannot be checked; restore config.json, or start anew with --overwrite");
    }
    requireOrigin(file, cp, config, configWhere, seed, DenseNetwork.initial(config, new Random(seed)),
        ": resuming would continue the run under other settings; train into another folder (--out), or restore the"
            + " config");
    int done = cp.epochsDone();
    List<Curves.Row> rows = Curves.read(metricsFile());
    rows.removeIf(r -> r.epoch() > done);
    Curves.requireEpochs(metricsFile(), rows, done);
    return new Resumed(file, cp.network(), done, rows, cp.initialWeightsSha256());
  }

  /**
   * Reads a checkpoint of another run to branch from ({@code train --from}): its weights and epoch,
   * and its folder's metrics.csv up to that epoch, which the branched run carries over so that its
   * curve has every epoch. Any way of learning is accepted (the branch is what changes it); the
   * checkpoint must be of {@code config}'s name, {@code seed} and data, and its origin must be
   * checkable and right ({@link #requireOrigin}): a config.json beside it or a recorded start.
   */
  public static Resumed branch(Path file, TrainConfig config, String configWhere, long seed, int trainExamples,
      int testExamples) {
    if (!Files.isRegularFile(file)) {
      throw new TrainingException("--from " + file + ": no such checkpoint file");
    }
    Checkpoint cp = Checkpoint.load(file);
    cp.requireMatch(file, config.name(), seed, null);
    cp.requireSameData(file, trainExamples, testExamples);
    boolean checked = requireOrigin(file, cp, config, configWhere, seed, DenseNetwork.initial(config, new Random(seed)),
        ": a run branched from it would not be a run of the given config");
    if (!checked) {
      throw new TrainingException("checkpoint " + file + " records no start and has no config.json beside it: whether"
          + " it was trained from " + configWhere + " with seed " + seed + " cannot be checked, so a run branched from"
          + " it could not say where it started");
    }
    RunFolder source = holding(file);
    if (!Files.isRegularFile(source.metricsFile())) {
      throw new TrainingException("checkpoint " + file + " has no metrics.csv beside it: the branched run's curve would"
          + " lack epochs 1-" + cp.epochsDone() + "; branch from a run folder (or put its metrics.csv there)");
    }
    int done = cp.epochsDone();
    List<Curves.Row> rows = Curves.read(source.metricsFile());
    rows.removeIf(r -> r.epoch() > done);
    Curves.requireEpochs(source.metricsFile(), rows, done);
    return new Resumed(file, cp.network(), done, rows, cp.initialWeightsSha256());
  }

  /**
   * Refuses a checkpoint (read from {@code file}) that was not trained from {@code config} (named by
   * {@code configWhere}) and {@code seed}, as far as can be told: where its folder holds a
   * config.json, that must not differ from {@code config} in anything that changes what is learned;
   * where the checkpoint records its start, that must be {@code initial}, the initial weights of
   * {@code config} and {@code seed}. {@link #resume} and the {@code steps} command both check
   * this way, so that they cannot drift apart.
   *
   * @param howToGoOn appended to the refusal for a differing config.json (may be empty)
   * @return whether anything was checked (false: no config.json beside the checkpoint and no record
   *     of its start, so the caller can say that the start was assumed)
   */
  public static boolean requireOrigin(Path file, Checkpoint cp, TrainConfig config, String configWhere, long seed,
      DenseNetwork initial, String howToGoOn) {
    RunFolder run = holding(file);
    boolean inRunFolder = Files.isRegularFile(run.configFile());
    if (inRunFolder) {
      List<String> differences = run.savedConfigDifferences(config);
      if (!differences.isEmpty()) {
        throw new TrainingException("run folder " + run.dir() + " was trained with config.json, which differs from "
            + configWhere + " in " + String.join("; ", differences) + " (saved vs given)" + howToGoOn);
      }
    }
    cp.requireStartedFrom(file, initial, configWhere + " with seed " + seed);
    return inRunFolder || cp.recordsItsStart();
  }

  /** Records the config the run trains with (read back on resume). */
  public void writeConfig(TrainConfig config) {
    try {
      Files.createDirectories(dir);
      Files.writeString(configFile(), config.toJson(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new TrainingException("cannot write to run folder " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * After an epoch: metrics and plot first, then the checkpoint (each written whole or not at all),
   * then the superseded plain checkpoint removed. A crash in between leaves metrics ahead of the
   * checkpoint, never behind it, and {@link #resume} drops the rows ahead.
   */
  public void saveEpoch(List<Curves.Row> rows, String plotTitle, Checkpoint checkpoint) {
    Curves.write(metricsFile(), rows);
    Curves.plot(plotFile(), plotTitle, rows);
    checkpoint.save(checkpointFile());
    try {
      Files.deleteIfExists(plainCheckpointFile());
    } catch (IOException e) {
      throw new TrainingException("cannot remove " + plainCheckpointFile() + ": " + e.getMessage(), e);
    }
  }
}
