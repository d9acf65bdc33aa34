package ghostunits.cli;

import ghostunits.data.Mnist;
import ghostunits.dynamics.Equilibrium;
import ghostunits.dynamics.EquilibriumSolver;
import ghostunits.dynamics.Stimulus;
import ghostunits.model.Feedback;
import ghostunits.model.Layers;
import ghostunits.model.Mlp;
import ghostunits.model.Model;
import ghostunits.model.ModelB;
import ghostunits.model.NetworkSpec;
import ghostunits.model.Weights;
import ghostunits.numeric.DoubleBackend;
import ghostunits.numeric.GhostUnitsException;
import ghostunits.plasticity.Checkpoint;
import ghostunits.plasticity.DenseNetwork;
import ghostunits.plasticity.FastGhostCancellation;
import ghostunits.plasticity.RunFolder;
import ghostunits.plasticity.TrainConfig;
import ghostunits.theory.LinearResponse;
import ghostunits.theory.ModelBBias;
import ghostunits.theory.Probe;
import ghostunits.theory.StackedSteps;
import ghostunits.theory.Theorem2;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.NormOps_DDRM;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The Model B bias study (reports/model-b-bias.md): T2c's bias of the teaching signal against
 * backprop, measured on 784-500-10 networks with MNIST inputs and one-hot targets, for 5 and 10
 * ghost units (the paper's MB setting), at the paper's MB init U(-0.05, 0.05), at larger weights,
 * and after some training; and its dependence on the number of ghosts. Double precision (EJML).
 */
@Command(
    name = "model-b-bias",
    mixinStandardHelpOptions = true,
    description = "Measure Model B's bias against backprop (Theorem 2(c)) on 784-500-10 MNIST networks and write"
        + " the markdown report.")
final class ModelBBiasCommand implements Runnable {
  @Option(names = "--mnist",
      description = "Folder with the four MNIST IDX .gz files (default: $GHOST_UNITS_MNIST, else ../shared/data/mnist).")
  @Nullable Path mnist;

  @Option(names = "--out",
      description = "Markdown file to write (default: reports/model-b-bias.md for the study; with --checkpoint,"
          + " the table is printed and written only where this is given).")
  @Nullable Path out;

  @Option(names = "--checkpoint",
      description = "Instead of the study: measure at the weights of this train checkpoint of an MB row, and at its"
          + " run's initial weights where its config.json lies beside it (repeatable, one pair of rows each).")
  List<Path> checkpoints = new ArrayList<>();

  @Option(names = "--per-example",
      description = "With --checkpoint: also write one CSV row per network and example (class, prediction, output"
          + " error, the biases, the W^1 step of backprop and eq. 6's departure from it) to this file.")
  @Nullable Path perExample;

  @Option(names = "--beta", defaultValue = "0.1",
      description = "With --checkpoint: the nudging strength of the finite-beta table (default: ${DEFAULT-VALUE},"
          + " every MB row's).")
  double beta = 0.1;

  @Option(names = "--examples", defaultValue = "20", description = "Examples per setting (default: ${DEFAULT-VALUE}).")
  int examples = 20;

  @Option(names = "--train", defaultValue = "10000",
      description = "Images used to train the 'after training' network by backprop SGD (default: ${DEFAULT-VALUE}).")
  int train = 10000;

  @Option(names = "--seed", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed = 1;

  /** Injected by picocli before run(). */
  @Spec @Nullable CommandSpec spec;

  static final int[] WIDTHS = {784, 500, 10};
  static final double TRAIN_RATE = 0.5;

  private static final DoubleBackend D = DoubleBackend.INSTANCE;
  private static final Model<Double, double[], DMatrixRMaj> MODEL = Model.paper(D);

  @Override
  public void run() {
    PrintWriter console = CommandOutput.of(spec);
    int evalFrom = 0;
    int trainFrom = 1000;
    int testFrom = trainFrom + train;
    int testCount = 1000;
    if (examples < 1) {
      throw new ReportException("--examples must be at least 1, got " + examples);
    }
    if (!(beta > 0 && beta <= 1)) {
      throw new ReportException("--beta must be in (0, 1], got " + beta);
    }
    if (perExample != null && checkpoints.isEmpty()) {
      throw new ReportException("--per-example writes one row per example of the --checkpoint tables; give a"
          + " --checkpoint (the study has no per-example output)");
    }
    // An option the chosen mode does not read is refused rather than silently ignored.
    if (checkpoints.isEmpty() && given("--beta")) {
      throw new ReportException("--beta " + beta + " sets the finite-beta table of the --checkpoint mode; the study"
          + " (no --checkpoint) uses its own betas, so give a --checkpoint or drop --beta");
    }
    for (String studyOnly : new String[] {"--train", "--seed"}) {
      if (!checkpoints.isEmpty() && given(studyOnly)) {
        throw new ReportException(studyOnly + " applies to the study (its backprop-trained network and random"
            + " weights); with --checkpoint the weights come from the checkpoint, so drop " + studyOnly);
      }
    }
    // Every checkpoint is read, and refused if it is not Model B's, before MNIST and minutes of work.
    List<AtCheckpoint> atCheckpoints = new ArrayList<>();
    for (Path file : checkpoints) {
      atCheckpoints.add(AtCheckpoint.load(file));
    }
    Path dir = mnist;
    Mnist.Split data = Mnist.open(dir == null ? Mnist.defaultDir() : dir).train();
    if (examples > data.size()) {
      throw new ReportException("--examples " + examples + " is more than the " + data.size() + " MNIST training images");
    }
    if (!atCheckpoints.isEmpty()) {
      String table = checkpointTable(atCheckpoints, data, console);
      Path file = out;
      if (file != null) {
        write(file, table);
        console.println("wrote " + file);
      }
      console.flush();
      return;
    }
    StringWriter text = new StringWriter();
    PrintWriter md = new PrintWriter(text);
    header(md);

    md.println("## 1. The paper's MB setting and larger weights (m = 5 and 10 ghosts)");
    md.println();
    tableHead(md, "init U(-a, a)");
    for (double a : new double[] {0.05, 0.1, 0.2, 0.5, 1.0}) {
      for (int m : new int[] {5, 10}) {
        Weights<DMatrixRMaj> w = network(randomW(a), m, a, a);
        row(md, String.format(Locale.ROOT, "a = %s", a), m, measure(w, data, evalFrom, examples), console);
      }
    }
    md.println();

    md.println("## 2. After some training");
    md.println();
    md.printf(Locale.ROOT, "W trained by plain backprop SGD (squared error, rate %s, one pass over MNIST training images"
        + " from %d on) from U(-0.05, 0.05), the a = 0.05 network of section 1; accuracy on images %d..%d. Gamma and"
        + " the starting Omega U(-0.05, 0.05), as at init (Gamma is fixed in MB).%n%n",
        TRAIN_RATE, trainFrom, testFrom, testFrom + testCount - 1);
    md.println("| images seen | accuracy | max \\|W^1\\| | max \\|W^2\\| | m | eps^1 inf: mean | eps^1 inf | eps^1 2 | dW^1 | grad"
        + " | \\|\\|M\\|\\|_2 | \\|\\|M\\|\\|_inf | bound | M d | F d | G d |");
    md.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    List<double[][]> trained = randomW(0.05);
    int seen = 0;
    for (int checkpoint : new int[] {500, 2000, train}) {
      if (checkpoint <= seen || checkpoint > train) {
        continue;
      }
      trained = trainByBackprop(trained, data, trainFrom + seen, checkpoint - seen);
      seen = checkpoint;
      String label = String.format(Locale.ROOT, "%d | %.1f%% | %.3f | %.3f", seen,
          100 * accuracy(trained, data, testFrom, testCount), maxAbs(trained.get(0)), maxAbs(trained.get(1)));
      for (int m : new int[] {5, 10}) {
        row(md, label, m, measure(network(trained, m, 0.05, 0.05), data, evalFrom, examples), console);
      }
    }
    md.println();

    md.println("## 3. Dependence on the number of ghosts m");
    md.println();
    md.println("Omega^1 fitted from Omega_0 ~ U(-a, a) (as above) and from Omega_0 = 0 (the minimum-norm solution);");
    md.println("the first " + Math.min(examples, 10) + " examples.");
    md.println();
    tableHead(md, "init, Omega_0");
    for (double a : new double[] {0.05, 0.2}) {
      for (int start = 0; start < 2; start++) {
        double omega0 = start == 0 ? a : 0.0;
        for (int m : new int[] {1, 2, 5, 10, 20, 50, 100}) {
          Weights<DMatrixRMaj> w = network(randomW(a), m, a, omega0);
          row(md, String.format(Locale.ROOT, "a = %s, %s", a, omega0 == 0 ? "0" : "U(-a, a)"), m,
              measure(w, data, evalFrom, Math.min(examples, 10)), console);
        }
      }
    }
    md.println();

    md.println("## 4. Checks: the linear response is the network's limit; finite beta");
    md.println();
    md.println("Full nudged equilibrium (Newton on all 515 + m unknowns), first 3 examples: the relative error of the");
    md.println("simulated e^1/beta against the linear response eps^1 (T2c(a): O(beta)), and its relative error against");
    md.println("-delta^1 (max-norm) next to the limit bias from the linear response.");
    md.println();
    md.println("| init | m | example | beta | \\|e/beta - eps\\| / \\|eps\\| | \\|e/beta + delta\\| / \\|delta\\| | limit bias |");
    md.println("|---|---|---|---|---|---|---|");
    for (double a : new double[] {0.05, 0.2}) {
      Weights<DMatrixRMaj> w = network(randomW(a), 5, a, a);
      for (int i = 0; i < 3; i++) {
        Probe<Double, double[], DMatrixRMaj> p = fitted(w, data, evalFrom + i);
        Equilibrium<Double, double[]> free = p.equilibrium(0.0);
        double[] eps1 = LinearResponse.at(p.net, free, p.stimulus(0.0)).eps().at(1);
        double[] target = p.negate(p.delta.at(1));
        double limit = p.norm(D.minus(eps1, target)) / p.norm(target);
        for (double beta : new double[] {1e-1, 1e-3}) {
          Equilibrium<Double, double[]> eq = EquilibriumSolver.solve(p.net, p.stimulus(beta));
          double[] e1 = eq.errors().at(1);
          md.printf(Locale.ROOT, "| U(-%s, %s) | 5 | %d | %s | %.2e | %.4f | %.4f |%n", a, a, i, beta,
              p.relativeErrorOfQuotient(e1, beta, eps1), p.relativeErrorOfQuotient(e1, beta, target), limit);
        }
      }
    }
    md.println();

    md.println("## 5. The fast rule: least-change fit against the faithful iterative rule (small network)");
    md.println();
    smallNetworkComparison(md);
    md.flush();
    Path file = out != null ? out : Path.of("reports/model-b-bias.md");
    write(file, text.toString());
    console.println("wrote " + file);
    console.flush();
  }

  private static void write(Path file, String text) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException ex) {
      throw new ReportException("could not write the report to " + file + ": " + ex.getMessage());
    }
  }

  /** Whether {@code option} was on the command line (not merely at its default). */
  private boolean given(String option) {
    CommandSpec parsed = spec;
    return parsed != null && parsed.commandLine().getParseResult().hasMatchedOption(option);
  }

  /**
   * A Model B checkpoint's weights and, where its run folder's config.json gives them, its run's
   * initial weights (checked against the checkpoint's record of its start, where it has one).
   */
  record AtCheckpoint(Path file, Checkpoint checkpoint, DenseNetwork trained, @Nullable DenseNetwork initial) {
    static AtCheckpoint load(Path file) {
      Checkpoint cp = Checkpoint.load(file);
      if (cp.modelA()) {
        throw new ReportException("checkpoint " + file + " is of " + cp.config() + ", a Model A network: Theorem 2(c)'s"
            + " bias is Model B's (Model A's converged ghosts cancel the feedback exactly, T2b)");
      }
      DenseNetwork trained = cp.network();
      RunFolder run = RunFolder.holding(file);
      if (!Files.isRegularFile(run.configFile())) {
        return new AtCheckpoint(file, cp, trained, null);
      }
      TrainConfig c = TrainConfig.load(run.configFile());
      if (!c.name().equals(cp.config())) {
        throw new ReportException("checkpoint " + file + " is of " + cp.config() + " but the config.json beside it is of "
            + c.name() + ": the initial weights it would give are not this run's");
      }
      DenseNetwork initial = DenseNetwork.initial(c, new Random(cp.seed()));
      cp.requireStartedFrom(file, initial, run.configFile() + " with seed " + cp.seed());
      return new AtCheckpoint(file, cp, trained, initial);
    }
  }

  /** The bias table at each checkpoint (and its run's start), in Markdown. */
  private String checkpointTable(List<AtCheckpoint> at, Mnist.Split data, PrintWriter console) {
    StringWriter text = new StringWriter();
    PrintWriter md = new PrintWriter(text);
    StringBuilder command = new StringBuilder("java -jar target/ghost-units.jar model-b-bias --examples " + examples
        + " --beta " + beta);
    for (AtCheckpoint a : at) {
      command.append(" --checkpoint ").append(a.file());
    }
    md.println("Generated by `" + command + "` (add `--mnist DIR` away from a checkout next to shared/).");
    md.println();
    md.println("Model B's bias against backprop (Theorem 2(c); under FA against feedback alignment) in hidden layer 1,"
        + " at trained weights and at their runs' initial weights: the first " + examples + " MNIST training images,"
        + " Omega^1 fitted to each by least change from the weights' own Omega^1 (the fit training makes next)."
        + " Columns as in reports/model-b-bias.md; rms: root mean square of the entries.");
    md.println();
    md.println("| weights | rms W^1 | rms W^2 | m | eps^1 inf: mean | eps^1 inf | eps^1 2 | dW^1 | grad | \\|\\|M\\|\\|_2"
        + " | \\|\\|M\\|\\|_inf | bound | M d | F d | G d |");
    md.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    md.flush();
    console.print(text);
    // One pass over the examples per network gives both tables (the fit and the linear response
    // are the costly part): the first table's row is printed at once, the second's kept.
    List<String> csv = perExample == null ? null : new ArrayList<>(List.of(PER_EXAMPLE_HEADER));
    List<String> finiteRows = new ArrayList<>();
    for (Named n : networks(at)) {
      Measured m = measureAll(n.label(), n.net(), data, csv);
      row(md, label(n.label(), n.net()), n.net().ghostCounts()[0], m.biases(), console);
      finiteRows.add(m.finiteBetaRow());
    }
    md.println();
    console.println();
    String head = String.format(Locale.ROOT, "At beta = %s, as training nudges: the full nudged equilibrium (Newton on all"
        + " unknowns) against the limit beta -> 0. The relative max-norm error of e^1/beta against the linear response"
        + " eps^1 (finite beta) and against -delta^1 (what training's step carries), beside the limit's bias (the eps^1"
        + " inf column above); median (max) over the examples. Then the W^1 steps of all examples stacked, as the"
        + " steps command stacks them (|step| / |backprop's step|, cosine): of the limit eps^1, of e^1/beta, and"
        + " eq. 6's own rate difference (rho(s^1) - rho(s^1 - e^1)) / beta at the nudged equilibrium, what training"
        + " takes.%n%n| weights | e/beta vs eps | e/beta vs -delta | eps vs -delta | step of eps | step of e/beta"
        + " | step of eq. 6 |%n|---|---|---|---|---|---|---|", beta);
    md.println(head);
    console.println(head);
    for (String r : finiteRows) {
      md.println(r);
      console.println(r);
    }
    Path csvFile = perExample;
    if (csvFile != null && csv != null) {
      write(csvFile, String.join("\n", csv) + "\n");
      console.println("wrote " + csvFile);
    }
    List<String> unchecked = new ArrayList<>();
    for (AtCheckpoint a : at) {
      if (a.initial() == null || !a.checkpoint().recordsItsStart()) {
        unchecked.add(a.file() + (a.initial() == null ? ": no config.json beside it, so no initial row"
            : ": records no start; the initial row assumes it started from config.json with seed "
                + a.checkpoint().seed()));
      }
    }
    if (!unchecked.isEmpty()) {
      md.println();
      console.println();
      for (String u : unchecked) {
        md.println("- " + u);
        console.println("- " + u);
      }
    }
    md.flush();
    return text.toString();
  }

  /**
   * Columns of --per-example: the biases are max-norm relative errors as in the tables (eps and
   * e/beta against the target, e/beta against eps); step_bp is |backprop's W^1 step|_F and
   * step_eq6_off |eq. 6's W^1 step - backprop's|_F, both per unit rate.
   */
  static final String PER_EXAMPLE_HEADER = "weights,example,label,predicted,output_error_max,bias_limit,"
      + "bias_at_beta,e_over_beta_vs_eps,step_bp,step_eq6_off";

  /** A network to measure and its row label. */
  private record Named(String label, DenseNetwork net) {}

  /**
   * The networks of the tables, in order: each checkpoint's run start (where known), then its
   * weights. Checkpoints of one run (several epochs) share their start: its row comes once.
   */
  private static List<Named> networks(List<AtCheckpoint> at) {
    List<Named> out = new ArrayList<>();
    Set<String> starts = new HashSet<>();
    for (AtCheckpoint a : at) {
      Checkpoint cp = a.checkpoint();
      String run = cp.config() + " seed " + cp.seed() + (cp.path().startsWith("BACKPROP") ? " (" + cp.path() + ")" : "");
      DenseNetwork start = a.initial();
      if (start != null && starts.add(start.fingerprint())) {
        out.add(new Named(run + ", initial", start));
      }
      out.add(new Named(run + ", epoch " + cp.epochsDone(), a.trained()));
    }
    return out;
  }

  /** One network's measurements: the first table's biases, and the second table's row. */
  private record Measured(List<ModelBBias.Bias> biases, String finiteBetaRow) {}

  /**
   * One pass over the examples: per example the bias of the limit (the first table) and e^1/beta
   * at the nudged equilibrium against eps^1 and the target; over all examples, the W^1 steps stacked
   * (as the steps command stacks them): the limit's (rho'(s^1) * eps^1) x^T, the same with
   * e^1/beta, and eq. 6's own bracket (rho(s^1) - rho(s^1 - e^1)) / beta at the nudged equilibrium,
   * each against the target's step. With {@code csv}, one line per example is added to it.
   */
  private Measured measureAll(String what, DenseNetwork net, Mnist.Split data, @Nullable List<String> csv) {
    Weights<DMatrixRMaj> w = net.toWeights(D);
    List<ModelBBias.Bias> biases = new ArrayList<>();
    double[][] cols = new double[3][examples];
    StackedSteps limit = new StackedSteps();
    StackedSteps finite = new StackedSteps();
    StackedSteps eq6 = new StackedSteps();
    for (int i = 0; i < examples; i++) {
      Probe<Double, double[], DMatrixRMaj> p = fitted(w, data, i);
      Theorem2.Analysis<double[], DMatrixRMaj> an = Theorem2.analyse(p);
      biases.add(ModelBBias.of(p, an));
      double[] eps1 = an.response().eps().at(1);
      double[] target = an.target().at(1);
      Equilibrium<Double, double[]> nudged = EquilibriumSolver.solve(p.net, p.stimulus(beta));
      double[] e1 = nudged.errors().at(1);
      cols[0][i] = p.relativeErrorOfQuotient(e1, beta, eps1);
      cols[1][i] = p.relativeErrorOfQuotient(e1, beta, target);
      cols[2][i] = an.bias()[0];
      // Every step's input factor is x (the same example), so |x|^2 weighs each example's terms.
      double xx = D.dot(p.x, p.x);
      double[] slope = MODEL.rhoPrime(p.mlp.s().at(1));
      double[] s1 = nudged.state().s().at(1);
      double[] bracket = D.scale(1 / beta, D.minus(MODEL.rho(s1), MODEL.rho(D.minus(s1, e1))));
      double[] ref = D.hadamard(slope, target);
      limit.add(D.hadamard(slope, eps1), ref, xx);
      finite.add(D.hadamard(slope, D.scale(1 / beta, e1)), ref, xx);
      eq6.add(bracket, ref, xx);
      if (csv != null) {
        double[] out = p.mlp.r().at(p.net.depth());
        int predicted = 0;
        double outputError = 0;
        double[] y = data.oneHot(i);
        for (int j = 0; j < out.length; j++) {
          predicted = out[j] > out[predicted] ? j : predicted;
          outputError = Math.max(outputError, Math.abs(y[j] - out[j]));
        }
        double stepBp = Math.sqrt(D.dot(ref, ref) * xx);
        double[] off = D.minus(bracket, ref);
        csv.add(String.format(Locale.ROOT, "\"%s\",%d,%d,%d,%.6e,%.6e,%.6e,%.6e,%.6e,%.6e", what, i,
            data.labels()[i], predicted, outputError, cols[2][i], cols[1][i], cols[0][i], stepBp,
            Math.sqrt(D.dot(off, off) * xx)));
      }
    }
    StringBuilder sb = new StringBuilder("| " + what);
    for (double[] c : cols) {
      sb.append(String.format(Locale.ROOT, " | %s (%s)", pct(median(c)), pct(max(c))));
    }
    for (StackedSteps st : List.of(limit, finite, eq6)) {
      sb.append(String.format(Locale.ROOT, " | %.3f, %.3f", st.ratio(), st.cosine()));
    }
    return new Measured(biases, sb.append(" |").toString());
  }

  private static String label(String what, DenseNetwork net) {
    return String.format(Locale.ROOT, "%s | %.4f | %.4f", what, rms(net.w(1)), rms(net.w(2)));
  }

  private static double rms(DMatrixRMaj m) {
    return NormOps_DDRM.normF(m) / Math.sqrt(m.getNumElements());
  }

  private void header(PrintWriter md) {
    md.println("# Model B: the bias of the teaching signal against backprop (Theorem 2(c))");
    md.println();
    md.println("Generated by `java -jar target/ghost-units.jar model-b-bias --examples " + examples + " --train " + train
        + " --seed " + seed + "` from a project checkout next to shared/ (else add `--mnist DIR`; build first:"
        + " `mvn -B -o -q package -DskipTests`). Double precision (EJML).");
    md.println();
    md.println("Setting: 784-500-10, sigmoid units, squared error, TF feedback (B^1 = (W^2)^T), m ghost units in the");
    md.println("hidden layer with Gamma^1 ~ U(-a, a) fixed, Omega^1 fitted to each example by the fast rule's");
    md.println("least-change solution (eq. 15's limit with the state at the MLP state, T2a) from Omega_0. Inputs: the");
    md.println("first " + examples + " MNIST training images (pixels / 255; ghostunits.data.Mnist, md5-checked), targets");
    md.println("one-hot. For each example the linear");
    md.println("response of T2c gives eps = lim e/beta at the true joint equilibrium; the bias is its error against");
    md.println("-delta (backprop). Numbers are the median (max) over the examples, and for eps^1 inf also the mean");
    md.println("(which the design note quoted; near-singular I - M makes single examples blow up). ||M|| and the bound:");
    md.println("median, and the largest bound. Columns:");
    md.println();
    md.println("- eps^1 inf, eps^1 2: |eps^1 + delta^1| / |delta^1| in max-norm and 2-norm;");
    md.println("- dW^1: ||dW^1(eps) - dW^1(backprop)||_F / ||dW^1(backprop)||_F, dW^1 = (rho'(s^1) * eps^1) x^T;");
    md.println("- grad: the same for the whole gradient (dW^1 and dW^2 stacked; dW^2 has no bias, eps^2 = -delta^2);");
    md.println("- ||M||_2, ||M||_inf: the mismatch M^1 = (B^1 D^2 W^2 - Omega^1 G^1 Gamma^1) D^1;");
    md.println("- bound: ||M||_inf / (1 - ||M||_inf), T2c(e)'s bound on the max-norm bias (\"-\" when ||M||_inf >= 1);");
    md.println("- M d, F d, G d: |M^1 delta^1|_2 / |delta^1|_2 and the same for the two loops M^1 is the difference of,");
    md.println("  the feedback loop F = B^1 D^2 W^2 D^1 and the ghost loop G = Omega^1 G^1 Gamma^1 D^1 (the bias is");
    md.println("  (I - M)^{-1} M delta, so M d is its first-order size).");
    md.println();
    md.println("The paper reports \"up to 7% of relative error to the classical backpropagated gradient\" for MB.");
    md.println();
  }

  private static void tableHead(PrintWriter md, String first) {
    md.println("| " + first + " | m | eps^1 inf: mean | eps^1 inf | eps^1 2 | dW^1 | grad | \\|\\|M\\|\\|_2 | \\|\\|M\\|\\|_inf | bound"
        + " | M d | F d | G d |");
    md.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
  }

  private static void row(PrintWriter md, String label, int m, List<ModelBBias.Bias> biases, PrintWriter console) {
    double[][] cols = new double[9][biases.size()];
    double bound = 0;
    boolean bounded = true;
    for (int i = 0; i < biases.size(); i++) {
      ModelBBias.Bias b = biases.get(i);
      cols[0][i] = b.maxNorm()[0];
      cols[1][i] = b.twoNorm()[0];
      cols[2][i] = b.gradient()[0];
      cols[3][i] = b.wholeGradient();
      cols[4][i] = b.mismatchTwo()[0];
      cols[5][i] = b.mismatchInf()[0];
      cols[6][i] = b.mismatchOnDelta()[0];
      cols[7][i] = b.feedbackLoopOnDelta()[0];
      cols[8][i] = b.ghostLoopOnDelta()[0];
      if (b.mismatchInf()[0] < 1) {
        bound = Math.max(bound, b.mismatchInf()[0] / (1 - b.mismatchInf()[0]));
      } else {
        bounded = false;
      }
    }
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "| %s | %d | %s", label, m, pct(mean(cols[0]))));
    for (int c = 0; c < 4; c++) {
      sb.append(String.format(Locale.ROOT, " | %s (%s)", pct(median(cols[c])), pct(max(cols[c]))));
    }
    sb.append(String.format(Locale.ROOT, " | %.3f | %.3f | %s | %.3f | %.3f | %.3f |", median(cols[4]), median(cols[5]),
        bounded ? pct(bound) : "-", median(cols[6]), median(cols[7]), median(cols[8])));
    md.println(sb);
    console.println(sb);
    console.flush();
  }

  private static String pct(double v) {
    return String.format(Locale.ROOT, v < 0.1 ? "%.2f%%" : "%.1f%%", 100 * v);
  }

  private static List<ModelBBias.Bias> measure(Weights<DMatrixRMaj> w, Mnist.Split data, int from, int count) {
    List<ModelBBias.Bias> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(ModelBBias.of(fitted(w, data, from + i)));
    }
    return out;
  }

  /** The network with Omega fitted to example i (least change), as a probe. */
  private static Probe<Double, double[], DMatrixRMaj> fitted(Weights<DMatrixRMaj> w, Mnist.Split data, int i) {
    double[] x = image(data, i);
    double[] y = data.oneHot(i);
    return new Probe<>(D, FastGhostCancellation.leastChange(MODEL, w, x), x, y);
  }

  private List<double[][]> randomW(double a) {
    Random rng = new Random(seed);
    return NetworkSpec.random(rng, Feedback.TF, WIDTHS, a).w();
  }

  /** W given, B = (W^2)^T, Gamma ~ U(-a, a) (m x 500), Omega_0 ~ U(-omega0, omega0). */
  private Weights<DMatrixRMaj> network(List<double[][]> w, int m, double a, double omega0) {
    Random rng = new Random(seed + 1000L * m);
    NetworkSpec base = new NetworkSpec(Feedback.TF, WIDTHS, w, null, new double[WIDTHS[0]], new double[WIDTHS[2]]);
    return ModelB.around(base, rng, new int[] {m}, a, omega0).weights(D);
  }

  private static List<double[][]> trainByBackprop(List<double[][]> w0, Mnist.Split data, int from, int count) {
    Layers<DMatrixRMaj> w = Layers.build(1, w0.size(), k -> NetworkSpec.matrix(D, w0.get(k - 1)));
    Double rate = TRAIN_RATE;
    for (int i = from; i < from + count; i++) {
      Mlp.Forward<double[]> fwd = Mlp.forward(MODEL, w, image(data, i));
      Layers<DMatrixRMaj> g = Mlp.gradients(MODEL, fwd, Mlp.deltas(MODEL, w, fwd, data.oneHot(i)));
      Layers<DMatrixRMaj> current = w;
      w = Layers.build(1, current.count(), k -> D.matMinus(current.at(k), D.matScale(rate, g.at(k))));
    }
    List<double[][]> out = new ArrayList<>();
    for (DMatrixRMaj m : w) {
      double[][] a = new double[m.numRows][m.numCols];
      for (int i = 0; i < m.numRows; i++) {
        for (int j = 0; j < m.numCols; j++) {
          a[i][j] = m.get(i, j);
        }
      }
      out.add(a);
    }
    return out;
  }

  private static double accuracy(List<double[][]> w0, Mnist.Split data, int from, int count) {
    Layers<DMatrixRMaj> w = Layers.build(1, w0.size(), k -> NetworkSpec.matrix(D, w0.get(k - 1)));
    int right = 0;
    for (int i = from; i < from + count; i++) {
      double[] r = Mlp.forward(MODEL, w, image(data, i)).r().at(2);
      int best = 0;
      for (int j = 1; j < r.length; j++) {
        if (r[j] > r[best]) {
          best = j;
        }
      }
      if (best == data.labels()[i]) {
        right++;
      }
    }
    return right / (double) count;
  }

  /**
   * 6-5-4-3 and 6-5-3 networks, U(-1, 1), 2 ghosts: biases with Omega from the least-change formula,
   * from the faithful rule (rounds of Newton relaxation + eq. 15 step) and from eq. 15 during Euler.
   */
  private void smallNetworkComparison(PrintWriter md) {
    md.println("Omega fitted three ways from the same Omega_0 ~ U(-1, 1): least change (the fast path used above);");
    md.println("rounds of free relaxation + one eq. 15 step (rate 1/2) until max|e| <= 1e-12; eq. 15 during the");
    md.println("Euler steps (h = 1/2, rate 1/2). All three cancel the feedback (T2a); for m > 1 they are different");
    md.println("solutions of the same n_k equations, so M and the bias differ somewhat. Bias: max-norm, per hidden layer.");
    md.println();
    md.println("| network | least change | rounds (count) | during Euler (steps) |");
    md.println("|---|---|---|---|");
    Random rng = new Random(seed);
    int[][] shapes = {{6, 5, 4, 3}, {6, 5, 3}, {6, 5, 4, 3}, {6, 5, 3}};
    for (int[] shape : shapes) {
      int[] ghosts = new int[shape.length - 2];
      Arrays.fill(ghosts, 2);
      ModelB spec = ModelB.random(rng, Feedback.TF, shape, ghosts, 1.0, 1.0);
      Weights<DMatrixRMaj> start = spec.weights(D);
      double[] x = spec.x(D);
      double[] y = spec.y(D);
      Stimulus<Double, double[]> free = new Stimulus<>(x, y, 0.0);
      Weights<DMatrixRMaj> lc = FastGhostCancellation.leastChange(MODEL, start, x);
      FastGhostCancellation.Fit<Double, double[], DMatrixRMaj> rounds =
          FastGhostCancellation.iterate(MODEL, start, free, 0.5, 1e-12, 100_000);
      FastGhostCancellation.Fit<Double, double[], DMatrixRMaj> euler =
          FastGhostCancellation.duringEuler(MODEL, start, free, 0.5, 0.5, 1e-12, 400_000);
      md.printf(Locale.ROOT, "| %s | %s | %s (%d) | %s (%d) |%n", Arrays.toString(shape),
          hidden(new Probe<>(D, lc, x, y)), hidden(new Probe<>(D, rounds.weights(), x, y)), rounds.rounds(),
          hidden(new Probe<>(D, euler.weights(), x, y)), euler.rounds());
    }
    md.println();
  }

  private static String hidden(Probe<Double, double[], DMatrixRMaj> p) {
    double[] bias = Theorem2.analyse(p).bias();
    StringBuilder sb = new StringBuilder();
    for (int k = 0; k + 1 < bias.length; k++) {
      sb.append(k == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3f", bias[k]));
    }
    return sb.toString();
  }

  private static double mean(double[] v) {
    return Arrays.stream(v).average().orElse(Double.NaN);
  }

  private static double[] image(Mnist.Split data, int i) {
    return data.images()[i];
  }

  private static double median(double[] v) {
    double[] sorted = v.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n == 0 ? Double.NaN : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static double max(double[] v) {
    return Arrays.stream(v).max().orElse(Double.NaN);
  }

  private static double maxAbs(double[][] m) {
    double best = 0;
    for (double[] row : m) {
      for (double v : row) {
        best = Math.max(best, Math.abs(v));
      }
    }
    return best;
  }

  /** The report could not be produced (missing data, unwritable file). */
  static final class ReportException extends GhostUnitsException {
    private static final long serialVersionUID = 1L;

    ReportException(String message) {
      super(message);
    }
  }
}
