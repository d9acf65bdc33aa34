package ghostunits.cli;

import ghostunits.model.Feedback;
import ghostunits.numeric.NonFiniteValueException;
import ghostunits.oracle.Certification;
import ghostunits.oracle.GoldenSuite;
import ghostunits.oracle.NetworkFile;
import ghostunits.oracle.Oracle;
import ghostunits.oracle.OracleInputException;
import ghostunits.oracle.ResultWriter;
import ghostunits.oracle.Schema;
import ghostunits.oracle.Verifier;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apfloat.ApfloatRuntimeException;
import org.checkerframework.checker.nullness.qual.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code oracle eval | verify | vectors}: certified reference values for other implementations.
 * Exit status: 0 success (verify: every field PASS), 1 verify found a FAIL, 2 bad input or an
 * oracle error (one line on stderr, no stack trace).
 */
@Command(
    name = "oracle",
    mixinStandardHelpOptions = true,
    description = "Certified reference values of the ghost-unit network, and a checker for other implementations.",
    subcommands = {OracleCommand.Eval.class, OracleCommand.Verify.class, OracleCommand.Vectors.class,
        CommandLine.HelpCommand.class})
final class OracleCommand implements Runnable {
  @Spec @Nullable CommandSpec spec;

  @Override
  public void run() {
    CommandSpec s = spec;
    if (s != null) {
      s.commandLine().usage(s.commandLine().getOut());
    }
  }

  static <T> T require(@Nullable T value, String option) {
    if (value == null) {
      throw new OracleInputException("missing required option " + option);
    }
    return value;
  }

  static @Nullable BigDecimal decimal(@Nullable String text, String option) {
    if (text == null) {
      return null;
    }
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.contains("nan") || t.contains("inf")) {
      throw new NonFiniteValueException(option + " " + text + ": a finite number is required");
    }
    try {
      return new BigDecimal(text.trim());
    } catch (NumberFormatException e) {
      throw new OracleInputException(option + " '" + text + "' is not a decimal number");
    }
  }

  /** Apfloat reports overflow and the like as its own runtime exceptions: make them input errors. */
  static <T> T guarded(String what, Callable<T> body) throws Exception {
    try {
      return body.call();
    } catch (ApfloatRuntimeException | ArithmeticException e) {
      throw new OracleInputException(what + ": numeric failure: " + e.getMessage(), e);
    }
  }

  @Command(name = "eval", mixinStandardHelpOptions = true,
      description = "Evaluate a network file at P digits (and P+20 to certify): free and nudged equilibria, MLP pass,"
          + " backprop, the estimates e/beta and eq. 6, the linear response; write a result file.")
  static final class Eval implements Callable<Integer> {
    @Option(names = "--network", required = true, description = "Network file (ghost-units/network@1, .json or .json.gz).")
    @Nullable Path network;

    @Option(names = "--beta", description = "Nudging strength beta (a decimal; required unless --fields needs no nudged phase).")
    @Nullable String beta;

    @Option(names = "--digits", defaultValue = "50", description = "Working precision P in decimal digits (default: ${DEFAULT-VALUE}).")
    long digits = 50;

    @Option(names = "--symmetric", description = "Also the mirror phase -beta and the symmetric estimate (e(beta) - e(-beta))/(2 beta).")
    boolean symmetric;

    @Option(names = "--eta-w", description = "Learning rate eta_W: also write the weight updates of eq. 6 (block \"update\").")
    @Nullable String etaW;

    @Option(names = "--fields", split = ",", description = "Only these blocks or block.fields (default: all that apply).")
    @Nullable List<String> fields;

    @Option(names = "--max-matrix-entries", defaultValue = "1000000000",
        description = "Write matrices with more entries as null, listed in \"omitted\" (default: ${DEFAULT-VALUE}).")
    long maxMatrixEntries = 1_000_000_000L;

    @Option(names = "--out", required = true, description = "Result file to write (.json, or .json.gz to compress).")
    @Nullable Path outFile;

    @Spec @Nullable CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = CommandOutput.of(spec);
      Path netPath = require(network, "--network");
      Path target = require(outFile, "--out");
      NetworkFile net = NetworkFile.read(netPath);
      BigDecimal b = decimal(beta, "--beta");
      BigDecimal eta = decimal(etaW, "--eta-w");
      List<String> names = fields;
      List<Schema.Field> wanted = names != null ? Schema.select(names, "--fields")
          : defaultFields(net, symmetric, eta != null);
      Oracle.Result result = guarded("oracle eval " + netPath, () -> Oracle.evaluate(net, b, eta, wanted, digits));
      ResultWriter.write(result, target, maxMatrixEntries);
      summary(out, result);
      out.printf(Locale.ROOT, "wrote %s%n", target);
      out.flush();
      return 0;
    }
  }

  /** Everything that applies: the mirror phase only with --symmetric, eq. 6 only with eta_W, FA only under FA. */
  static List<Schema.Field> defaultFields(NetworkFile net, boolean symmetric, boolean update) {
    List<Schema.Field> out = new ArrayList<>();
    for (Schema.Field f : Schema.FIELDS) {
      boolean mirror = f.block().equals("nudged_negative") || f.name().equals("symmetric_e_over_beta");
      if (mirror && !symmetric) {
        continue;
      }
      if (f.block().equals("update") && !update) {
        continue;
      }
      if (f.block().equals("feedback_alignment") && net.feedback() != Feedback.FA) {
        continue;
      }
      out.add(f);
    }
    return out;
  }

  static void summary(PrintWriter out, Oracle.Result r) {
    out.printf(Locale.ROOT, "oracle eval: %s (%s)%s, %d digits (reference %d), %.2f s%n", r.network().source(),
        r.network().describe(), r.beta() == null ? "" : ", beta " + r.beta(), r.digits(),
        r.certification().referenceDigits(), r.seconds());
    for (String block : Schema.blocks()) {
      boolean present = r.values().fields().stream().anyMatch(f -> f.block().equals(block));
      if (present) {
        Certification.Block c = r.certification().block(block);
        out.printf(Locale.ROOT, "  %-20s certified digits %3d%n", block, c.digits());
      }
    }
  }

  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = "Check another implementation's values (a candidate file with the result file's field names,"
          + " float64 allowed) against the reference: per field and layer max abs/rel error, worst index, PASS/FAIL."
          + " Exit status 0 only if every field passes.")
  static final class Verify implements Callable<Integer> {
    @Option(names = "--network", required = true, description = "Network file the candidate was computed for.")
    @Nullable Path network;

    @Option(names = "--candidate", required = true, description = "Candidate file (format ghost-units/result@1).")
    @Nullable Path candidate;

    @Option(names = "--rtol", defaultValue = "1e-6", description = "Relative tolerance (default: ${DEFAULT-VALUE}).")
    String rtol = "1e-6";

    @Option(names = "--atol", defaultValue = "1e-9", description = "Absolute tolerance (default: ${DEFAULT-VALUE}).")
    String atol = "1e-9";

    @Option(names = "--beta", description = "Nudging strength (default: the candidate's \"beta\").")
    @Nullable String beta;

    @Option(names = "--eta-w", description = "Learning rate of eq. 6 for an \"update\" block (default: the candidate's \"eta_W\").")
    @Nullable String etaW;

    @Option(names = "--digits", defaultValue = "50", description = "Precision of the reference (default: ${DEFAULT-VALUE}).")
    long digits = 50;

    @Option(names = "--fields", split = ",",
        description = "Blocks or block.fields the candidate must provide (default: free, nudged, mlp, backprop,"
            + " estimate.e_over_beta, estimate.dW); only these are checked.")
    @Nullable List<String> fields;

    @Spec @Nullable CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = CommandOutput.of(spec);
      Path netPath = require(network, "--network");
      Path candPath = require(candidate, "--candidate");
      BigDecimal r = require(decimal(rtol, "--rtol"), "--rtol");
      BigDecimal a = require(decimal(atol, "--atol"), "--atol");
      NetworkFile net = NetworkFile.read(netPath);
      Verifier.Options o = new Verifier.Options(r, a, digits, decimal(beta, "--beta"), decimal(etaW, "--eta-w"), fields);
      Verifier.Report report = guarded("oracle verify " + candPath, () -> Verifier.verify(net, candPath, o));
      report.print(out);
      return report.passed() ? 0 : 1;
    }
  }

  @Command(name = "vectors", mixinStandardHelpOptions = true,
      description = "Write the golden suite: small networks of several depths (MA and MB, TF and FA) at several betas,"
          + " and one 784-500-10 network, each with certified values, plus index.json.")
  static final class Vectors implements Callable<Integer> {
    @Option(names = "--out", required = true, description = "Directory to write.")
    @Nullable Path outDir;

    @Option(names = "--digits", defaultValue = "50", description = "Working precision (default: ${DEFAULT-VALUE}).")
    long digits = 50;

    @Option(names = "--skip-large", description = "Leave out the 784-500-10 network.")
    boolean skipLarge;

    @Option(names = "--mnist", description = "MNIST test images (t10k-images-idx3-ubyte.gz) for the large network's"
        + " input; without it the input is a seeded random image.")
    @Nullable Path mnist;

    @Spec @Nullable CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = CommandOutput.of(spec);
      Path dir = require(outDir, "--out");
      guarded("oracle vectors", () -> {
        GoldenSuite.write(dir, digits, !skipLarge, mnist, out);
        return 0;
      });
      return 0;
    }
  }
}
