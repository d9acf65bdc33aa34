package ghostunits.cli;

import ghostunits.data.Mnist;
import ghostunits.model.Feedback;
import ghostunits.plasticity.Checkpoint;
import ghostunits.plasticity.DenseNetwork;
import ghostunits.plasticity.RunFolder;
import ghostunits.plasticity.StepComparison;
import ghostunits.plasticity.TrainConfig;
import ghostunits.plasticity.Trainer;
import ghostunits.plasticity.TrainingException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import org.checkerframework.checker.nullness.qual.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * How long the ghost network's steps are against backprop's, at the weights of a checkpoint (or
 * the initial weights): the diagnostic behind reports/table1.md's "Why the MA rows miss the paper".
 */
@Command(
    name = "steps",
    mixinStandardHelpOptions = true,
    description = "Compare a row's eq.-6 weight step with backprop's (MSE and BCE, same rates) on the next"
        + " mini-batches of training, at a checkpoint's weights or the initial ones; prints a Markdown table.")
final class StepsCommand implements Runnable {
  @Mixin RowOptions row = new RowOptions();

  @Option(names = "--checkpoint",
      description = "A train checkpoint of this config (default: the initial weights of --seed).")
  @Nullable Path checkpoint;

  @Option(names = "--seed", defaultValue = "1",
      description = "Seed of the init and of the data order, as in train (default: ${DEFAULT-VALUE}).")
  long seed = 1;

  @Option(names = "--batches", defaultValue = "50",
      description = "How many mini-batches of the next epoch's order to compare on (default: ${DEFAULT-VALUE}).")
  int batches = 50;

  @Option(names = "--backprop-feedback", defaultValue = "TF",
      description = "Compare with backprop (TF) or, for an FA row, with feedback alignment through the row's own"
          + " fixed B^k (FA), what Model A with FA approximates by C-FA (default: ${DEFAULT-VALUE}).")
  Feedback baseline = Feedback.TF;

  @Spec @Nullable CommandSpec spec;

  @Override
  public void run() {
    PrintWriter out = CommandOutput.of(spec);
    TrainConfig c = row.load();
    if (baseline == Feedback.FA && c.feedback() != Feedback.FA) {
      throw new TrainingException("--backprop-feedback FA needs a config with FA feedback (its fixed B^k); " + c.name()
          + " has " + c.feedback());
    }
    DenseNetwork initial = DenseNetwork.initial(c, new Random(seed));
    DenseNetwork net;
    int done;
    String where;
    boolean startUnchecked = false;
    Path cpFile = checkpoint;
    if (cpFile == null) {
      net = initial;
      done = 0;
      where = "the initial weights of seed " + seed;
    } else {
      Checkpoint cp = Checkpoint.load(cpFile);
      cp.requireMatch(cpFile, c.name(), seed, null);
      // Another start would make the distance from the initial weights meaningless (under TF nothing
      // else shows it): in a run folder its config.json (which names the field), then the
      // checkpoint's record of its start.
      startUnchecked = !RunFolder.requireOrigin(cpFile, cp, c, row.configFile().toString(), seed, initial, "");
      net = cp.network();
      done = cp.epochsDone();
      where = cpFile + " (" + cp.path() + ", after epoch " + done + ")";
    }
    // How far training has moved each layer: a layer whose step is a small fraction of backprop's
    // barely moves, which the curve alone does not show. Computed first: it refuses weights whose
    // fixed B^k are not the seed's before minutes of comparison.
    StepComparison.WeightSizes sizes = StepComparison.sizes(net, initial);
    Mnist.Split train = row.mnist().paperTrain();
    int[] order = Trainer.order(seed, done + 1, train.size());
    StepComparison.Result r = StepComparison.compare(new Trainer(c, Trainer.Path.FAST), net, train, order, batches,
        baseline);
    String bp = baseline == Feedback.FA ? "FA backprop" : "backprop";
    out.printf(Locale.ROOT, "%s at %s; the first %d mini-batches of epoch %d (batch %d, beta %s, eq. 6 %s).%n%n",
        c.name(), where, batches, done + 1, c.batch(), c.beta(), c.divideByBeta() ? "divided by beta" : "not divided");
    out.println("| W^k | abs(dW ghost) / abs(dW " + bp + " MSE) | cosine | abs(dW ghost) / abs(dW " + bp
        + " BCE) | cosine |");
    out.println("|---|---|---|---|---|");
    for (int k = 0; k < net.depth(); k++) {
      out.printf(Locale.ROOT, "| W^%d | %.3f | %.3f | %.3f | %.3f |%n", k + 1, r.ratioToMse()[k], r.cosineToMse()[k],
          r.ratioToBce()[k], r.cosineToBce()[k]);
    }
    out.println();
    out.println("| output error abs(y - r) | share of outputs | sum abs(eq.-6 output bracket) / sum abs(y - r) |");
    out.println("|---|---|---|");
    double lo = 0;
    for (int cls = 0; cls < r.outputShare().length; cls++) {
      String range = cls < StepComparison.ERROR_CLASSES.length
          ? String.format(Locale.ROOT, "[%s, %s)", lo, StepComparison.ERROR_CLASSES[cls])
          : String.format(Locale.ROOT, ">= %s", lo);
      double q = r.bracketToError()[cls];
      // A class with no output has no ratio (NaN in the result): printed as "-".
      out.printf(Locale.ROOT, "| %s | %.1f%% | %s |%n", range, 100 * r.outputShare()[cls],
          Double.isNaN(q) ? "-" : String.format(Locale.ROOT, "%.3f", q));
      if (cls < StepComparison.ERROR_CLASSES.length) {
        lo = StepComparison.ERROR_CLASSES[cls];
      }
    }
    out.println();
    out.println("| W^k | rms of the entries | rms(W^k - W^k(0)) / rms(W^k(0)), W^k(0) the initial weights of seed " + seed
        + " |");
    out.println("|---|---|---|");
    for (int k = 0; k < net.depth(); k++) {
      out.printf(Locale.ROOT, "| W^%d | %.4f | %.3f |%n", k + 1, sizes.rms()[k], sizes.movedFromInitial()[k]);
    }
    if (startUnchecked) {
      out.println();
      out.println("Unchecked: this checkpoint does not record its initial weights (written before they were) and has"
          + " no config.json beside it, so that it started from those of seed " + seed + " is assumed.");
    }
    if (sizes.feedbackRms().length > 0) {
      StringBuilder b = new StringBuilder();
      for (int k = 0; k < sizes.feedbackRms().length; k++) {
        b.append(k == 0 ? "" : ", ").append(String.format(Locale.ROOT, "B^%d %.4f", k + 1, sizes.feedbackRms()[k]));
      }
      out.println();
      out.println("Fixed feedback weights (FA; the same bits as the initial ones), rms of the entries: " + b + ".");
    }
  }
}
