package ghostunits.cli;

import ghostunits.data.Mnist;
import ghostunits.model.Feedback;
import ghostunits.plasticity.Backprop;
import ghostunits.plasticity.Checkpoint;
import ghostunits.plasticity.Curves;
import ghostunits.plasticity.DenseNetwork;
import ghostunits.plasticity.EulerFallbacks;
import ghostunits.plasticity.RunFolder;
import ghostunits.plasticity.TrainConfig;
import ghostunits.plasticity.Trainer;
import ghostunits.plasticity.TrainingException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.ejml.data.DMatrixRMaj;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Trains a Table 1 row on MNIST: per epoch a progress bar, then train/test accuracy and mse
 * appended to metrics.csv, the curves in curves.png, and the weights in checkpoint.json.gz, all in
 * the run folder. Seeded: the same seed, config and path give bitwise the same weights; a run
 * resumes from its checkpoint. With {@code --backprop} the row's own network (the same initial W, data
 * order, batch and rates) learns by plain backprop instead: the baseline that the ghost network's
 * curve is read against; with {@code --backprop-feedback FA} an FA row's network learns by feedback
 * alignment through its own fixed B^k. {@code --hidden-step BACKPROP} is an experiment: eq. 6 on the
 * output layer, backprop's step on the hidden layers ({@link Trainer#stepWithBackpropHiddenSteps});
 * {@code --from} starts a run at another run's checkpoint (a branch), its curve carried over.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = "Train a Table 1 configuration (MA or MB, TF or FA) on MNIST, fast or faithful equilibria.")
final class TrainCommand implements Runnable {
  @Mixin RowOptions row = new RowOptions();

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the init and of the data order (default: ${DEFAULT-VALUE}).")
  long seed = 1;

  @Option(names = "--epochs", description = "Train until this many epochs are done (default: the config's).")
  @Nullable Integer epochs;

  @Option(names = "--path", defaultValue = "FAST",
      description = "How each phase reaches equilibrium: FAST (closed form / reduced Newton) or FAITHFUL"
          + " (Euler, the paper's step counts) (default: ${DEFAULT-VALUE}).")
  Trainer.Path path = Trainer.Path.FAST;

  @Option(names = "--backprop",
      description = "Baseline: train the config's network (same initial W, data order, batch, etaW as the SGD rate)"
          + " by plain backprop of MSE (the paper's cost) or BCE (sigmoid cross-entropy) instead of the ghost"
          + " network; run folder <config name>-backprop-<cost>-seed<seed>.")
  Backprop.@Nullable Cost backprop;

  @Option(names = "--backprop-feedback", defaultValue = "TF",
      description = "With --backprop: send the error down through (W^{k+1})^T (TF, backprop) or through the FA"
          + " config's fixed B^k (FA, feedback alignment, what Model A with FA approximates by C-FA); run folder"
          + " <config name>-backprop-<cost>-fa-seed<seed> (default: ${DEFAULT-VALUE}).")
  Feedback backpropFeedback = Feedback.TF;

  @Option(names = "--hidden-step", defaultValue = "EQ6",
      description = "EQ6 (the row's rule) or BACKPROP, an experiment: eq. 6 on the output layer and, on the hidden"
          + " layers, the step plain backprop (MSE; the row's feedback, TF or FA) would take at the same weights and"
          + " rates, which takes away their departure from backprop (Model B's bias, Theorem 2(c)); run folder"
          + " <config name>-hidden-backprop-seed<seed> (default: ${DEFAULT-VALUE}).")
  HiddenStep hiddenStep = HiddenStep.EQ6;

  @Option(names = "--from",
      description = "Branch: start at this checkpoint of a run of the same config, seed and data (learned any way),"
          + " at its epoch, instead of at the initial weights; its folder's metrics.csv up to that epoch is carried"
          + " over. Excludes --resume (a branched run continues with --resume alone).")
  @Nullable Path from;

  @Option(names = "--out", description = "Run folder (default: reports/runs/<config name>-seed<seed>).")
  @Nullable Path out;

  @Option(names = "--resume", description = "Continue from <out>/checkpoint.json.gz if it exists (refused if the"
      + " folder's config.json, the data limits or metrics.csv do not match it).")
  boolean resume;

  @Option(names = "--overwrite", description = "Start from scratch even where the run folder already holds a run"
      + " (its checkpoint, metrics and plot are removed first); without it that is refused.")
  boolean overwrite;

  @Option(names = "--train-limit", defaultValue = "55000",
      description = "Train on the first n of the paper's 55,000 training images (default: ${DEFAULT-VALUE}).")
  int trainLimit = 55_000;

  @Option(names = "--test-limit", defaultValue = "10000",
      description = "Test on the first n of the 10,000 test images (default: ${DEFAULT-VALUE}).")
  int testLimit = 10_000;

  @Option(names = "--max-minutes", defaultValue = "0",
      description = "Wall-clock budget: start no epoch that the last epoch's time says would end after it"
          + " (0: no budget). The checkpoint lets a later run continue.")
  double maxMinutes;

  @Option(names = "--no-progress", description = "No progress bar (for logs).")
  boolean noProgress;

  @Option(names = "--min-test-accuracy", defaultValue = "-1",
      description = "Fail (exit code 2) if the final test accuracy (%%) is below this (smoke tests).")
  double minTestAccuracy = -1;

  @Spec @Nullable CommandSpec spec;

  /** What the hidden layers learn by (the output layer always by eq. 6, or all by backprop with --backprop). */
  enum HiddenStep {
    /** The row's own rule. */
    EQ6,
    /** Backprop's step at the same weights and rates (an experiment). */
    BACKPROP
  }

  @Override
  public void run() {
    PrintWriter log = CommandOutput.of(spec);
    TrainConfig c = row.load();
    int target = epochs != null ? epochs : c.epochs();
    Backprop.@Nullable Cost baseline = backprop;
    // What the checkpoint records as the way the run learns: a ghost path, or the baseline.
    boolean fa = backpropFeedback == Feedback.FA;
    if (fa && (baseline == null || c.feedback() != Feedback.FA)) {
      throw new TrainingException("--backprop-feedback FA " + (baseline == null ? "is an option of --backprop"
          : "needs a config with FA feedback (its fixed B^k); " + c.name() + " has " + c.feedback()));
    }
    boolean hybrid = hiddenStep == HiddenStep.BACKPROP;
    if (hybrid && baseline != null) {
      throw new TrainingException("--hidden-step BACKPROP replaces the hidden layers' steps of the ghost network;"
          + " --backprop " + baseline + " trains every layer by backprop: give one of them");
    }
    if (hybrid && c.learnsGhosts()) {
      throw new TrainingException("--hidden-step BACKPROP: " + c.name() + " learns its ghosts between its phases, so"
          + " its step is more than eq. 6's weight change; the experiment is for the rows whose only rule is eq. 6");
    }
    String method = baseline != null ? "BACKPROP_" + baseline.name() + (fa ? "_FA" : "")
        : path.name() + (hybrid ? "_HIDDEN_BACKPROP" : "");
    String runName = baseline != null
        ? c.name() + "-backprop-" + baseline.name().toLowerCase(Locale.ROOT) + (fa ? "-fa" : "")
        : c.name() + (hybrid ? "-hidden-backprop" : "");
    Path dir = out != null ? out : Paths.get("reports", "runs", runName + "-seed" + seed);
    RunFolder folder = new RunFolder(dir);
    Path branchFrom = from;
    if (branchFrom != null && resume) {
      throw new TrainingException("--from " + branchFrom + " starts a run at another run's checkpoint; --resume"
          + " continues the run in " + dir + " from its own: give one of them");
    }
    if (resume && overwrite) {
      throw new TrainingException("--resume and --overwrite exclude each other: continue the run in " + dir
          + ", or replace it");
    }
    if (trainLimit < c.batch() || testLimit < 1) {
      throw new TrainingException("--train-limit " + trainLimit + " and --test-limit " + testLimit + ": need at least"
          + " one mini-batch (" + c.batch() + " images) to train on and one image to test on");
    }
    Mnist data = row.mnist();
    Mnist.Split train = data.paperTrain().first(Math.min(trainLimit, Mnist.PAPER_TRAIN_COUNT));
    Mnist.Split test = data.test();
    if (testLimit < test.size()) {
      test = test.first(testLimit);
    }
    // What the run continues: its own checkpoint (--resume), another run's (--from), or nothing.
    RunFolder.@Nullable Resumed carried = null;
    if (resume && folder.existingCheckpoint() != null) {
      carried = folder.resume(c, row.configFile().toString(), seed, method, train.size(), test.size());
      log.printf(Locale.ROOT, "resuming %s from epoch %d (%s)%n", runName, carried.epochsDone(),
          carried.checkpointFile());
    } else if (branchFrom != null) {
      carried = RunFolder.branch(branchFrom, c, row.configFile().toString(), seed, train.size(), test.size());
      if (carried.epochsDone() >= target) {
        throw new TrainingException("--from " + branchFrom + " is after epoch " + carried.epochsDone()
            + " and --epochs is " + target + ": the branch would train nothing; give --epochs above "
            + carried.epochsDone());
      }
      folder.prepareFreshStart(overwrite, true);
      log.printf(Locale.ROOT, "branching %s from epoch %d of %s (its curve up to there carried over)%n", runName,
          carried.epochsDone(), branchFrom);
    } else {
      folder.prepareFreshStart(overwrite, false);
    }
    DenseNetwork net = carried != null ? carried.network() : DenseNetwork.initial(c, new Random(seed));
    int done = carried != null ? carried.epochsDone() : 0;
    List<Curves.Row> rows = carried != null ? carried.rows() : new java.util.ArrayList<>();
    // Recorded in every checkpoint: where the run started, checked by a later resume or steps.
    @Nullable String start = carried != null ? carried.initialWeightsSha256() : net.fingerprint();
    folder.writeConfig(c);
    if (baseline == null) {
      log.printf(Locale.ROOT, "%s: %s-%s %s, batch %d, beta %s, eta_W %s, %s path%s, seed %d, %d train / %d test"
          + " examples, %s%n", c.name(), c.model(), c.feedback(), java.util.Arrays.toString(c.widths()),
          c.batch(), c.beta(), java.util.Arrays.toString(c.etaW()), path,
          hybrid ? " (hidden layers: backprop's steps, an experiment)" : "", seed, train.size(), test.size(),
          epochRange(done, target));
    } else {
      log.printf(Locale.ROOT, "%s: plain backprop (%s%s) on the network of %s %s, batch %d, SGD rates %s, seed %d,"
          + " %d train / %d test examples, %s%n", runName, baseline, fa ? ", feedback alignment" : "", c.name(),
          java.util.Arrays.toString(c.widths()), c.batch(), java.util.Arrays.toString(c.etaW()), seed, train.size(),
          test.size(), epochRange(done, target));
    }
    log.flush();
    Trainer trainer = new Trainer(c, path);
    int b = c.batch();
    int batches = train.size() / b;
    Curves.Row last = rows.isEmpty() ? null : rows.get(rows.size() - 1);
    long runStart = System.nanoTime();
    double lastEpochSeconds = 0;
    for (int epoch = done + 1; epoch <= target; epoch++) {
      double elapsed = (System.nanoTime() - runStart) / 1e9;
      if (maxMinutes > 0 && elapsed + lastEpochSeconds > 60 * maxMinutes) {
        log.printf(Locale.ROOT, "stopping before epoch %d: %.0f s used, the last epoch took %.0f s, budget %.0f s%n",
            epoch, elapsed, lastEpochSeconds, 60 * maxMinutes);
        break;
      }
      long t0 = System.nanoTime();
      int[] order = Trainer.order(seed, epoch, train.size());
      ProgressBar bar = noProgress ? null : new ProgressBarBuilder().setTaskName(runName + " epoch " + epoch)
          .setInitialMax(batches).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(1000).build();
      try {
        for (int i = 0; i < batches; i++) {
          DMatrixRMaj[] xy = Trainer.batch(train, order, i * b, b);
          if (hybrid) {
            trainer.stepWithBackpropHiddenSteps(net, xy[0], xy[1]);
          } else if (baseline == null) {
            trainer.step(net, xy[0], xy[1]);
          } else {
            Backprop.step(net, xy[0], xy[1], c.etaW(), baseline, backpropFeedback);
          }
          if (bar != null) {
            bar.step();
          }
        }
      } finally {
        if (bar != null) {
          bar.close();
        }
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      Trainer.Score tr = Trainer.evaluate(net, train, train.size());
      Trainer.Score te = Trainer.evaluate(net, test, test.size());
      EulerFallbacks fallbacks = trainer.fallbacks();
      last = new Curves.Row(epoch, tr.accuracy(), tr.mse(), te.accuracy(), te.mse(), seconds, fallbacks.count());
      rows.add(last);
      folder.saveEpoch(rows, baseline == null
          ? c.name() + " (" + path.name().toLowerCase(Locale.ROOT) + (hybrid ? ", backprop's hidden steps" : "") + ")"
          : c.name() + " network, plain backprop (" + baseline.name().toLowerCase(Locale.ROOT) + (fa ? ", FA" : "")
              + ")",
          Checkpoint.of(c.name(), seed, epoch, method, train.size(), test.size(), start, net));
      lastEpochSeconds = (System.nanoTime() - t0) / 1e9;
      log.printf(Locale.ROOT, "epoch %d: train %.2f%% (mse %.5f), test %.2f%% (mse %.5f), %.1f s%n", epoch,
          tr.accuracy(), tr.mse(), te.accuracy(), te.mse(), seconds);
      if (fallbacks.count() > 0) {
        // Slow, and the run's result depends on it: said, not hidden (README, "Fast path"); the
        // count is in metrics.csv too.
        log.printf(Locale.ROOT, "epoch %d: Newton failed in %d equilibrium solve%s, which the Euler dynamics settled"
            + " (the first: %s)%n", epoch, fallbacks.count(), fallbacks.count() == 1 ? "" : "s",
            fallbacks.firstReason());
        fallbacks.clear();
      }
      log.flush();
    }
    if (minTestAccuracy >= 0) {
      double acc = last == null ? Trainer.evaluate(net, test, test.size()).accuracy() : last.testAccuracy();
      if (acc < minTestAccuracy) {
        log.printf(Locale.ROOT, "FAIL: test accuracy %.2f%% is below the floor %.2f%%%n", acc, minTestAccuracy);
        log.flush();
        throw new AccuracyFloorException(acc, minTestAccuracy);
      }
      log.printf(Locale.ROOT, "OK: test accuracy %.2f%% >= floor %.2f%%%n", acc, minTestAccuracy);
      log.flush();
    }
  }

  /** "epochs 8..50", or, when the run is already there, that nothing is left to train. */
  static String epochRange(int done, int target) {
    return done < target ? "epochs " + (done + 1) + ".." + target
        : "already " + done + " epochs done (--epochs " + target + "): nothing to train";
  }

  /** The smoke test's floor was not reached. */
  static final class AccuracyFloorException extends ghostunits.numeric.GhostUnitsException {
    private static final long serialVersionUID = 1L;

    AccuracyFloorException(double acc, double floor) {
      super(String.format(Locale.ROOT, "test accuracy %.2f%% is below the floor %.2f%%", acc, floor));
    }
  }
}
