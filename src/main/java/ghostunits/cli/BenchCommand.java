package ghostunits.cli;

import ghostunits.data.Mnist;
import ghostunits.plasticity.Backprop;
import ghostunits.plasticity.DenseNetwork;
import ghostunits.plasticity.TrainConfig;
import ghostunits.plasticity.Trainer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.ejml.data.DMatrixRMaj;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Time per training example, in one run and on the same mini-batches, of plain backprop (EJML),
 * Model A with the fast path and Model A with the faithful Euler dynamics, as ratios to backprop.
 * Each method is warmed up; then each round times the three one after the other (so a change of
 * the machine's load hits all three alike) and the median over rounds of the per-round ratios is
 * reported.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Time per training example: backprop vs MA fast path vs MA faithful dynamics (ratios to backprop).")
final class BenchCommand implements Runnable {
  @Option(names = "--config", defaultValue = "configs/table1/MA-TF-500.json",
      description = "The MA config to time (default: ${DEFAULT-VALUE}).")
  Path config = Path.of("configs/table1/MA-TF-500.json");

  @Option(names = "--mnist", description = "MNIST folder (default: $GHOST_UNITS_MNIST, else ../shared/data/mnist).")
  @Nullable Path mnist;

  @Option(names = "--batches", defaultValue = "10", description = "Mini-batches per timed round (default: ${DEFAULT-VALUE}).")
  int batches = 10;

  @Option(names = "--faithful-batches", defaultValue = "2",
      description = "Mini-batches per timed round of the faithful path (default: ${DEFAULT-VALUE}).")
  int faithfulBatches = 2;

  @Option(names = "--rounds", defaultValue = "5", description = "Timed rounds, median reported (default: ${DEFAULT-VALUE}).")
  int rounds = 5;

  @Option(names = "--report", description = "Also write the table to this Markdown file.")
  @Nullable Path report;

  @Spec @Nullable CommandSpec spec;

  private interface Method {
    void step(DenseNetwork net, DMatrixRMaj x, DMatrixRMaj y);
  }

  @Override
  public void run() {
    PrintWriter out = CommandOutput.of(spec);
    TrainConfig c = TrainConfig.load(config);
    if (!c.isModelA()) {
      throw new IllegalArgumentException("bench times Model A; config " + config + " is " + c.model());
    }
    Mnist.Split train = Mnist.open(mnist != null ? mnist : Mnist.defaultDir()).paperTrain();
    int b = c.batch();
    int need = Math.max(batches, faithfulBatches);
    int[] order = Trainer.order(1, 1, train.size());
    DMatrixRMaj[][] data = new DMatrixRMaj[need][];
    for (int i = 0; i < need; i++) {
      data[i] = Trainer.batch(train, order, i * b, b);
    }
    double[] eta = c.etaW();
    Trainer fast = new Trainer(c, Trainer.Path.FAST);
    Trainer faithful = new Trainer(c, Trainer.Path.FAITHFUL);
    DenseNetwork start = DenseNetwork.initial(c, new Random(1));
    out.printf(Locale.ROOT, "bench: %s %s, batch %d, %d free + %d weakly-clamped Euler steps (faithful), %d rounds%n",
        c.name(), java.util.Arrays.toString(c.widths()), b, c.freeSteps(), c.nudgedSteps(), rounds);
    out.printf(Locale.ROOT, "java %s, %d available processors%n", System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors());
    out.flush();
    Method[] methods = {(n, x, y) -> Backprop.step(n, x, y, eta), fast::step, faithful::step};
    int[] counts = {batches, batches, faithfulBatches};
    // Warm-up (JIT), then rounds that time the three methods one after the other, so that a change
    // of the machine's load affects all three alike; the ratios are taken per round, then the median.
    for (int m = 0; m < methods.length; m++) {
      run(start.copy(), data, counts[m], methods[m]);
    }
    double[][] perExample = new double[3][rounds];
    double[][] ratio = new double[3][rounds];
    for (int r = 0; r < rounds; r++) {
      for (int m = 0; m < methods.length; m++) {
        perExample[m][r] = run(start.copy(), data, counts[m], methods[m]) / (counts[m] * (double) b);
      }
      for (int m = 0; m < methods.length; m++) {
        ratio[m][r] = perExample[m][r] / perExample[0][r];
      }
    }
    double bp = median(perExample[0]);
    double fa = median(perExample[1]);
    double fu = median(perExample[2]);
    double faRatio = median(ratio[1]);
    double fuRatio = median(ratio[2]);
    StringBuilder md = new StringBuilder();
    md.append(String.format(Locale.ROOT, "%s %s, batch %d, %d rounds (median), load average before: %s%n%n",
        c.name(), java.util.Arrays.toString(c.widths()), b, rounds, loadAverage()));
    md.append(String.format(Locale.ROOT, "| method | ms per example | ratio to backprop | target |%n|---|---|---|---|%n"));
    md.append(String.format(Locale.ROOT, "| backprop MLP (EJML, batch %d) | %.4f | 1.00 | |%n", b, bp));
    md.append(String.format(Locale.ROOT, "| MA fast path | %.4f | %.2f (rounds: %s) | <= 1.5 |%n", fa, faRatio,
        list(ratio[1])));
    md.append(String.format(Locale.ROOT, "| MA faithful Euler (%d + %d steps) | %.4f | %.2f (rounds: %s) | <= 10 |%n",
        c.freeSteps(), c.nudgedSteps(), fu, fuRatio, list(ratio[2])));
    out.print(md);
    out.flush();
    if (report != null) {
      try {
        Files.writeString(report, md.toString(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot write " + report + ": " + e.getMessage(), e);
      }
    }
  }

  /** Wall time (ms) of {@code count} mini-batch steps on {@code net}. */
  private static double run(DenseNetwork net, DMatrixRMaj[][] data, int count, Method m) {
    long t0 = System.nanoTime();
    for (int i = 0; i < count; i++) {
      m.step(net, data[i][0], data[i][1]);
    }
    return (System.nanoTime() - t0) / 1e6;
  }

  private static double median(double[] v) {
    double[] c = v.clone();
    java.util.Arrays.sort(c);
    return c.length % 2 == 1 ? c[c.length / 2] : 0.5 * (c[c.length / 2 - 1] + c[c.length / 2]);
  }

  private static String list(double[] v) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < v.length; i++) {
      sb.append(i == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.2f", v[i]));
    }
    return sb.toString();
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }
}
