package ghostunits.oracle;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import ghostunits.model.Layers;
import ghostunits.numeric.ScalarField;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.zip.GZIPOutputStream;
import org.apfloat.Apfloat;

/**
 * Writes a result file (ghost-units/result@1): every value a decimal string with the working
 * precision's digits, each block with its certificate and, for equilibria, its solver's report.
 * A rank-one matrix is written entry by entry as left_i * right_j rounded to p digits, exactly as
 * the backend's outer product computes it; it is never held in memory whole.
 */
public final class ResultWriter {
  private ResultWriter() {}

  public static final String GENERATOR = "ghost-units 0.1.0 oracle";

  /**
   * Writes {@code result} to {@code out} (gzip-compressed if the name ends in .gz). Matrices with
   * more than {@code maxMatrixEntries} entries are written as null and listed in "omitted".
   */
  public static void write(Oracle.Result result, Path out, long maxMatrixEntries) {
    try {
      Path parent = out.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      try (OutputStream file = Files.newOutputStream(out);
          OutputStream buffered = new BufferedOutputStream(
              out.toString().endsWith(".gz") ? new GZIPOutputStream(file, 1 << 16) : file, 1 << 16)) {
        write(result, buffered, maxMatrixEntries);
      }
    } catch (IOException e) {
      throw new OracleInputException(out + ": cannot write: " + e.getMessage(), e);
    }
  }

  public static void write(Oracle.Result result, OutputStream out, long maxMatrixEntries) throws IOException {
    ScalarField<Apfloat> f = result.values().backend().scalars();
    List<String> omitted = new ArrayList<>();
    try (JsonGenerator g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      g.setPrettyPrinter(new DefaultPrettyPrinter());
      g.writeStartObject();
      g.writeStringField("format", Schema.RESULT_FORMAT);
      g.writeStringField("generator", GENERATOR);
      NetworkFile net = result.network();
      g.writeObjectFieldStart("network");
      Path name = Path.of(net.source()).getFileName();
      g.writeStringField("file", name == null ? net.source() : name.toString());
      String sha = net.sha256();
      if (sha != null) {
        g.writeStringField("sha256", sha);
      }
      g.writeStringField("description", net.describe());
      g.writeEndObject();
      BigDecimal beta = result.beta();
      if (beta != null) {
        g.writeStringField("beta", beta.toString());
      }
      BigDecimal eta = result.etaW();
      if (eta != null && result.values().fields().stream().anyMatch(fl -> fl.block().equals("update"))) {
        g.writeStringField("eta_W", eta.toString());
      }
      g.writeNumberField("digits", result.digits());
      g.writeNumberField("reference_digits", result.certification().referenceDigits());
      Certification<Apfloat> cert = result.certification();
      for (String block : Schema.blocks()) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field fl : result.values().fields()) {
          if (fl.block().equals(block)) {
            fields.add(fl);
          }
        }
        if (fields.isEmpty()) {
          continue;
        }
        g.writeObjectFieldStart(block);
        for (Schema.Field fl : fields) {
          g.writeArrayFieldStart(fl.name());
          Layers<Evaluation.Value<Apfloat[]>> layers = result.values().get(fl);
          for (int k = layers.first(); k <= layers.last(); k++) {
            Evaluation.Value<Apfloat[]> v = layers.at(k);
            if (v instanceof Evaluation.Vec<Apfloat[]> vec) {
              g.writeStartArray();
              for (Apfloat a : vec.v()) {
                g.writeString(decimal(a));
              }
              g.writeEndArray();
            } else if (v instanceof Evaluation.RankOne<Apfloat[]> r) {
              long entries = (long) r.left().length * r.right().length;
              if (entries > maxMatrixEntries) {
                g.writeNull();
                omitted.add(fl.at(k));
                continue;
              }
              BigDecimal[] left = decimals(f, r.left());
              BigDecimal[] right = decimals(f, r.right());
              MathContext mc = new MathContext((int) result.digits(), RoundingMode.HALF_EVEN);
              // Rows are rendered in parallel (a 500 x 784 matrix is 392 000 products and strings).
              String[] rows = IntStream.range(0, left.length).parallel()
                  .mapToObj(i -> row(left[i], right, mc)).toArray(String[]::new);
              g.writeStartArray();
              for (String row : rows) {
                g.writeRawValue(row);
              }
              g.writeEndArray();
            }
          }
          g.writeEndArray();
        }
        writeCertificate(g, f, cert, block, fields);
        Evaluation.Solve<Apfloat> solve = result.values().solves().get(block);
        if (solve != null) {
          g.writeObjectFieldStart("solver");
          g.writeStringField("method", solve.method());
          g.writeNumberField("iterations", solve.iterations());
          g.writeStringField("last_step", bound(f, solve.lastStep()));
          g.writeStringField("residual", bound(f, solve.residual()));
          g.writeStringField("next_correction", bound(f, solve.correction()));
          g.writeEndObject();
        }
        g.writeEndObject();
      }
      if (!omitted.isEmpty()) {
        g.writeArrayFieldStart("omitted");
        for (String o : omitted) {
          g.writeString(o);
        }
        g.writeEndArray();
      }
      g.writeEndObject();
      g.writeRaw('\n');
    }
  }

  private static void writeCertificate(JsonGenerator g, ScalarField<Apfloat> f, Certification<Apfloat> cert, String block,
      List<Schema.Field> fields) throws IOException {
    Certification.Block b = cert.block(block);
    g.writeObjectFieldStart("certified");
    g.writeNumberField("digits", b.digits());
    g.writeStringField("how", b.how());
    g.writeObjectFieldStart("fields");
    for (Schema.Field fl : fields) {
      g.writeArrayFieldStart(fl.name());
      for (Certification.Entry<Apfloat> e : cert.entries(fl)) {
        g.writeStartObject();
        g.writeNumberField("digits", e.digits());
        g.writeStringField("abs_err", bound(f, e.absErr()));
        if (e.zero()) {
          g.writeBooleanField("zero", true);
        }
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    g.writeEndObject();
    g.writeEndObject();
  }

  /** The exact values of a vector's entries. */
  static BigDecimal[] decimals(ScalarField<Apfloat> f, Apfloat[] v) {
    BigDecimal[] d = new BigDecimal[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = f.toDecimal(v[i]);
    }
    return d;
  }

  /**
   * Entry (i, j) of a rank-one matrix u r^T: the exact product u_i r_j rounded half-even to p
   * digits (what the backend's exact dot products would give), as a decimal string.
   */
  static String entry(BigDecimal u, BigDecimal w, MathContext mc) {
    BigDecimal p = product(u, w, mc);
    return p.signum() == 0 ? "0" : p.toString().replace('E', 'e');
  }

  /**
   * u_i r_j rounded half-even to p digits; an exact zero when a factor is zero (the bare product
   * would carry the factors' scale, printed as "0E-21"). Verify compares against this value.
   */
  static BigDecimal product(BigDecimal u, BigDecimal w, MathContext mc) {
    if (u.signum() == 0 || w.signum() == 0) {
      return BigDecimal.ZERO;
    }
    return u.multiply(w).round(mc);
  }

  /** One row u r^T of a rank-one matrix as a JSON list of decimal strings. */
  static String row(BigDecimal u, BigDecimal[] right, MathContext mc) {
    StringBuilder sb = new StringBuilder(right.length * 56 + 4).append("[ ");
    for (int j = 0; j < right.length; j++) {
      if (j > 0) {
        sb.append(", ");
      }
      sb.append('"').append(entry(u, right[j], mc)).append('"');
    }
    return sb.append(" ]").toString();
  }

  /** A value as a decimal string, every digit of the working precision. */
  public static String decimal(Apfloat a) {
    return a.toString(false);
  }

  /** A non-negative bound, two significant digits, rounded up (so it stays a bound). */
  static String bound(ScalarField<Apfloat> f, Apfloat a) {
    BigDecimal d = f.toDecimal(a);
    if (d.signum() == 0) {
      return "0";
    }
    return d.round(new MathContext(2, RoundingMode.UP)).toString().replace("E", "e");
  }
}
