package ghostunits.oracle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import ghostunits.model.Layers;
import ghostunits.numeric.NonFiniteValueException;
import ghostunits.numeric.ScalarField;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apfloat.Apfloat;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Checks another implementation's values (a candidate file, same field names as a result file,
 * float64 numbers allowed) against the reference, in the spirit of torch.autograd.gradcheck: per
 * field and layer the max absolute and relative error, the worst entry, and PASS when every entry
 * satisfies |candidate - reference| <= atol + rtol |reference| (numpy.allclose's rule).
 *
 * <p>A missing field, a wrong shape, a NaN or infinity, a non-number, an unknown field: each is a
 * FAIL line naming it. A candidate that is not JSON, or not of format ghost-units/result@1, is an
 * input error (exception). The reference is computed for exactly the fields compared, and each
 * comparison requires the reference's certified error to be below a tenth of the tolerance.
 */
public final class Verifier {
  private Verifier() {}

  /** Top-level keys of a result file that are not blocks of values. */
  static final Set<String> META = Set.of("format", "generator", "network", "beta", "eta_W", "digits",
      "reference_digits", "omitted", "meta", "comment", "implementation");

  /** Keys inside a block that are not values. */
  static final Set<String> BLOCK_META = Set.of("certified", "solver", "comment");

  public record Options(BigDecimal rtol, BigDecimal atol, long digits, @Nullable BigDecimal beta,
      @Nullable BigDecimal etaW, @Nullable List<String> fields) {}

  public enum Status { PASS, FAIL }

  /**
   * One line of the report: a field at a layer (layer 0: the whole field), its shape, errors,
   * worst index and status; {@code note} explains a FAIL.
   */
  public record Line(String field, int layer, String shape, double maxAbs, double maxRel, String worst,
      Status status, String note) {}

  public record Report(String header, List<Line> lines) {
    public boolean passed() {
      return !lines.isEmpty() && lines.stream().allMatch(l -> l.status() == Status.PASS);
    }

    public List<Line> failures() {
      return lines.stream().filter(l -> l.status() == Status.FAIL).toList();
    }

    public void print(PrintWriter out) {
      out.println(header);
      out.printf(Locale.ROOT, "%-36s %-5s %-9s %-11s %-11s %-12s %s%n", "field", "layer", "shape", "max abs err",
          "max rel err", "worst index", "status");
      for (Line l : lines) {
        out.printf(Locale.ROOT, "%-36s %-5s %-9s %-11s %-11s %-12s %s%s%n", l.field(),
            l.layer() == 0 ? "-" : Integer.toString(l.layer()), l.shape(), num(l.maxAbs()), num(l.maxRel()),
            l.worst(), l.status(), l.note().isEmpty() ? "" : "  " + l.note());
      }
      List<Line> failed = failures();
      if (failed.isEmpty()) {
        out.printf(Locale.ROOT, "PASS: %d field layers checked, all within tolerance%n", lines.size());
      } else {
        Set<String> names = new LinkedHashSet<>();
        for (Line l : failed) {
          names.add(l.layer() == 0 ? l.field() : l.field() + "^" + l.layer());
        }
        out.printf(Locale.ROOT, "FAIL: %d of %d field layers failed: %s%n", failed.size(), lines.size(),
            String.join(", ", names));
      }
      out.flush();
    }

    private static String num(double v) {
      return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2e", v);
    }
  }

  public static Report verify(NetworkFile network, Path candidatePath, Options o) {
    JsonIn.Parsed parsed = JsonIn.read(candidatePath);
    return verify(network, parsed.root(), candidatePath.toString(), o);
  }

  public static Report verify(NetworkFile network, JsonNode candidateRoot, String source, Options o) {
    if (o.rtol().signum() < 0 || o.atol().signum() < 0) {
      throw new OracleInputException("--rtol and --atol must be >= 0, got " + o.rtol() + " and " + o.atol());
    }
    ObjectNode root = JsonIn.object(candidateRoot, source);
    String format = JsonIn.text(JsonIn.required(root, "format", source), source + ": format");
    if (!format.equals(Schema.RESULT_FORMAT)) {
      throw new UnsupportedFormatException(source + ": format \"" + JsonIn.abbreviate(format) + "\" is not supported"
          + (format.startsWith("ghost-units/result@") ? " (unknown version; this oracle reads " + Schema.RESULT_FORMAT + ")"
              : " (expected " + Schema.RESULT_FORMAT + ")"));
    }
    BigDecimal beta = o.beta();
    JsonNode betaNode = JsonIn.optional(root, "beta");
    if (beta == null && betaNode != null) {
      beta = JsonIn.decimal(betaNode, source + ": beta");
    }
    BigDecimal eta = o.etaW();
    JsonNode etaNode = JsonIn.optional(root, "eta_W");
    if (eta == null && etaNode != null) {
      eta = JsonIn.decimal(etaNode, source + ": eta_W");
    }

    List<Line> problems = new ArrayList<>();
    Set<Schema.Field> provided = new LinkedHashSet<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = e.getKey();
      if (META.contains(key)) {
        continue;
      }
      if (Schema.fieldsOf(key).isEmpty()) {
        problems.add(fail(JsonIn.abbreviate(key), 0, "unknown block \"" + JsonIn.abbreviate(key) + "\" (blocks: "
            + Schema.blocks() + ")"));
        continue;
      }
      if (!e.getValue().isObject()) {
        problems.add(fail(key, 0, "expected an object of fields, got " + JsonIn.describe(e.getValue())));
        continue;
      }
      for (Iterator<String> names = e.getValue().fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (BLOCK_META.contains(name)) {
          continue;
        }
        Schema.Field f = Schema.field(key, name);
        if (f == null) {
          problems.add(fail(key + "." + JsonIn.abbreviate(name), 0, "unknown field (fields of " + key + ": "
              + Schema.fieldsOf(key).stream().map(Schema.Field::name).toList() + ")"));
        } else {
          provided.add(f);
        }
      }
    }
    List<Schema.Field> required = o.fields() == null ? Schema.select(Schema.REQUIRED, "required fields")
        : Schema.select(o.fields(), "--fields");
    int n = network.depth();
    List<Schema.Field> compare = new ArrayList<>();
    for (Schema.Field f : Schema.FIELDS) {
      boolean has = provided.contains(f);
      boolean needed = required.contains(f) && !(f.range() == Schema.Range.GHOSTS && n == 1);
      if (has && (o.fields() == null || required.contains(f))) {
        compare.add(f);
      } else if (needed) {
        problems.add(fail(f.path(), 0, "missing (the candidate must provide it)"));
      }
    }
    if (compare.isEmpty()) {
      problems.add(fail("(candidate)", 0, "provides none of the fields to check"));
      return new Report(header(network, source, beta, o, null), problems);
    }
    Oracle.Result ref = Oracle.evaluate(network, beta, eta, compare, o.digits());
    List<Line> lines = new ArrayList<>();
    for (Schema.Field f : compare) {
      JsonNode node = root.path(f.block()).path(f.name());
      lines.addAll(compareField(network, ref, f, node, o));
    }
    lines.addAll(problems);
    return new Report(header(network, source, beta, o, ref), lines);
  }

  private static String header(NetworkFile network, String source, @Nullable BigDecimal beta, Options o,
      Oracle.@Nullable Result ref) {
    StringBuilder sb = new StringBuilder();
    sb.append("oracle verify: candidate ").append(source).append(" against ").append(network.source())
        .append(" (").append(network.describe()).append(")");
    if (beta != null) {
      sb.append(", beta ").append(beta.toString());
    }
    sb.append('\n').append("reference: ").append(o.digits()).append(" digits");
    if (ref != null) {
      sb.append(", certified to at least ").append(ref.certification().minimumDigits()).append(" digits");
    }
    sb.append("; PASS when |candidate - reference| <= atol + rtol |reference| entrywise, rtol ")
        .append(o.rtol().toString().replace("E", "e")).append(", atol ")
        .append(o.atol().toString().replace("E", "e"));
    return sb.toString();
  }

  private static Line fail(String field, int layer, String note) {
    return new Line(field, layer, "-", Double.NaN, Double.NaN, "-", Status.FAIL, note);
  }

  private static List<Line> compareField(NetworkFile network, Oracle.Result ref, Schema.Field f, JsonNode node,
      Options o) {
    List<Line> out = new ArrayList<>();
    Layers<Evaluation.Value<Apfloat[]>> values = ref.values().get(f);
    int count = values.count();
    if (!node.isArray()) {
      out.add(fail(f.path(), 0, "expected a list of " + count + " layers, got " + JsonIn.describe(node)));
      return out;
    }
    if (node.size() != count) {
      out.add(fail(f.path(), 0, "expected " + count + " layers (" + (f.range() == Schema.Range.GHOSTS
          ? "hidden layers 1.." + (network.depth() - 1) : "layers 1.." + network.depth()) + "), got " + node.size()));
      return out;
    }
    List<Certification.Entry<Apfloat>> certs = ref.certification().entries(f);
    for (int k = values.first(); k <= values.last(); k++) {
      out.add(compareLayer(ref, f, k, values.at(k), node.get(k - values.first()), certs.get(k - values.first()), o));
    }
    return out;
  }

  private static Line compareLayer(Oracle.Result ref, Schema.Field f, int k, Evaluation.Value<Apfloat[]> value,
      JsonNode node, Certification.Entry<Apfloat> cert, Options o) {
    ScalarField<Apfloat> field = ref.values().backend().scalars();
    MathContext mc = new MathContext((int) ref.digits(), RoundingMode.HALF_EVEN);
    String name = f.path();
    Comparison c = new Comparison(o);
    String shape;
    try {
      if (value instanceof Evaluation.Vec<Apfloat[]> v) {
        shape = Integer.toString(v.v().length);
        BigDecimal[] cand = JsonIn.vector(node, f.at(k), v.v().length, "the reference's length");
        BigDecimal[] reference = ResultWriter.decimals(field, v.v());
        for (int i = 0; i < cand.length; i++) {
          c.add(cand[i], reference[i], "[" + i + "]");
        }
      } else if (value instanceof Evaluation.RankOne<Apfloat[]> r) {
        int rows = r.left().length;
        int cols = r.right().length;
        shape = rows + "x" + cols;
        BigDecimal[][] cand = JsonIn.matrix(node, f.at(k), rows, cols, "rows", "columns");
        BigDecimal[] left = ResultWriter.decimals(field, r.left());
        BigDecimal[] right = ResultWriter.decimals(field, r.right());
        for (int i = 0; i < rows; i++) {
          for (int j = 0; j < cols; j++) {
            BigDecimal reference = ResultWriter.product(left[i], right[j], mc);
            c.add(cand[i][j], reference, "[" + i + "][" + j + "]");
          }
        }
      } else {
        throw new IllegalStateException("unknown value kind");
      }
    } catch (NonFiniteValueException e) {
      return fail(name, k, "non-finite value: " + e.getMessage());
    } catch (FormatException e) {
      return fail(name, k, e.getMessage() == null ? "malformed" : e.getMessage());
    }
    double refErr = field.toDouble(cert.absErr());
    if (refErr > 0.1 * c.minTolerance) {
      throw new CertificationException("the reference for " + f.at(k) + " is certified only to an absolute error of "
          + String.format(Locale.ROOT, "%.1e", refErr) + ", more than a tenth of the tolerance "
          + String.format(Locale.ROOT, "%.1e", c.minTolerance) + " (atol " + o.atol() + ", rtol " + o.rtol()
          + "): raise --digits or loosen the tolerance");
    }
    Status status = c.passed ? Status.PASS : Status.FAIL;
    String note = c.passed ? "" : "at " + c.worst + ": reference " + c.worstRef + ", candidate " + c.worstCand;
    return new Line(name, k, shape, c.maxAbs, c.maxRel, c.worst, status, note);
  }

  /**
   * A value in a report note: 12 significant digits; a zero as "0" whatever its scale (a candidate
   * may write "0.000" or "0E-21").
   */
  static String shown(BigDecimal v) {
    return v.signum() == 0 ? "0" : v.round(new MathContext(12)).toString();
  }

  /** Accumulates one layer's comparison. */
  private static final class Comparison {
    final double rtol;
    final double atol;
    double maxAbs;
    double maxRel;
    double worstRatio = -1;
    String worst = "-";
    String worstRef = "";
    String worstCand = "";
    double minTolerance = Double.POSITIVE_INFINITY;
    boolean passed = true;

    Comparison(Options o) {
      this.rtol = o.rtol().doubleValue();
      this.atol = o.atol().doubleValue();
    }

    void add(BigDecimal candidate, BigDecimal reference, String index) {
      double abs = candidate.subtract(reference).abs().doubleValue();
      double r = Math.abs(reference.doubleValue());
      double rel = abs == 0 ? 0 : r == 0 ? Double.POSITIVE_INFINITY : abs / r;
      double tol = atol + rtol * r;
      minTolerance = Math.min(minTolerance, tol);
      boolean ok = abs <= tol;
      passed &= ok;
      double ratio = abs == 0 ? 0 : tol == 0 ? Double.POSITIVE_INFINITY : abs / tol;
      maxAbs = Math.max(maxAbs, abs);
      maxRel = Math.max(maxRel, rel);
      if (ratio > worstRatio) {
        worstRatio = ratio;
        worst = index;
        worstRef = shown(reference);
        worstCand = shown(candidate);
      }
    }
  }
}
