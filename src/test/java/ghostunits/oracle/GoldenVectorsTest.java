package ghostunits.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import ghostunits.model.Layers;
import ghostunits.numeric.ScalarField;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apfloat.Apfloat;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Regression against the committed golden suite (vectors/, written by {@code oracle vectors}):
 * every result file is re-evaluated from its network file at its beta and digits, and each
 * committed value must equal the recomputed one to within the certified error of both (for the
 * small networks that error is also at most 1e-30 max(1, |v|)). A change of the model, the
 * solver or the numerics that moves any value beyond its certified digits fails here.
 */
class GoldenVectorsTest {
  static final Path DIR = Path.of("vectors");

  @Test
  void theSuiteIsCommitted() throws Exception {
    ObjectNode index = JsonIn.object(JsonIn.read(DIR.resolve("index.json")).root(), "index.json");
    assertThat(index.get("format").asText()).isEqualTo(Schema.SUITE_FORMAT);
    Set<String> models = new HashSet<>();
    Set<Integer> depths = new HashSet<>();
    boolean large = false;
    for (JsonNode c : index.get("cases")) {
      NetworkFile net = NetworkFile.read(DIR.resolve(c.get("network").asText()));
      models.add(net.model() + " " + net.feedback());
      depths.add(net.depth());
      large |= net.width(0) == 784 && net.width(1) == 500 && net.width(2) == 10;
    }
    assertThat(models).contains("MA TF", "MA FA", "MB TF", "MB FA");
    assertThat(depths).contains(1, 2, 3, 4);
    assertThat(large).as("the 784-500-10 network").isTrue();
  }

  @TestFactory
  Stream<DynamicTest> everyCommittedResultIsReproduced() throws Exception {
    ObjectNode index = JsonIn.object(JsonIn.read(DIR.resolve("index.json")).root(), "index.json");
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode c : index.get("cases")) {
      Path network = DIR.resolve(c.get("network").asText());
      for (JsonNode r : c.get("results")) {
        Path result = DIR.resolve(r.get("file").asText());
        tests.add(DynamicTest.dynamicTest(result.getFileName().toString(), () -> reproduce(network, result)));
      }
    }
    return tests.stream();
  }

  static void reproduce(Path networkPath, Path resultPath) {
    assertThat(Files.exists(resultPath)).as(resultPath.toString()).isTrue();
    NetworkFile net = NetworkFile.read(networkPath);
    JsonIn.Parsed parsed = JsonIn.read(resultPath);
    ObjectNode committed = JsonIn.object(parsed.root(), resultPath.toString());
    assertThat(committed.get("format").asText()).isEqualTo(Schema.RESULT_FORMAT);
    assertThat(committed.path("network").path("sha256").asText()).as("result was made from this network file")
        .isEqualTo(net.sha256());
    BigDecimal beta = new BigDecimal(committed.get("beta").asText());
    long digits = committed.get("digits").asLong();
    BigDecimal eta = committed.has("eta_W") ? new BigDecimal(committed.get("eta_W").asText()) : null;
    List<Schema.Field> fields = fieldsIn(committed);
    Set<String> omitted = new HashSet<>();
    committed.path("omitted").forEach(o -> omitted.add(o.asText()));
    Oracle.Result now = Oracle.evaluate(net, beta, eta, fields, digits);
    rewritesLikeTheCommittedFile(now, committed, fields, resultPath.toString());
    MathContext mc = new MathContext((int) digits, RoundingMode.HALF_EVEN);
    boolean small = net.width(0) < 100;
    for (Schema.Field f : fields) {
      Layers<Evaluation.Value<Apfloat[]>> values = now.values().get(f);
      List<Certification.Entry<Apfloat>> cert = now.certification().entries(f);
      JsonNode layers = committed.get(f.block()).get(f.name());
      JsonNode certs = committed.get(f.block()).get("certified").get("fields").get(f.name());
      assertThat(layers.size()).as(f.path()).isEqualTo(values.count());
      for (int k = values.first(); k <= values.last(); k++) {
        int i = k - values.first();
        JsonNode layer = layers.get(i);
        if (layer.isNull()) {
          assertThat(omitted).as(f.at(k) + " is null but not listed as omitted").contains(f.at(k));
          continue;
        }
        BigDecimal committedErr = new BigDecimal(certs.get(i).get("abs_err").asText());
        BigDecimal nowErr = new BigDecimal(cert.get(i).absErr().toString(true));
        BigDecimal tolerance = committedErr.add(nowErr);
        BigDecimal diff = maxDiff(layer, values.at(k), mc, f.at(k));
        assertThat(diff.compareTo(tolerance)).as("%s: committed and recomputed differ by %s, certified %s",
            f.at(k), diff, tolerance).isLessThanOrEqualTo(0);
        if (small) {
          BigDecimal scale = new BigDecimal(cert.get(i).scale().toString(true)).max(BigDecimal.ONE);
          assertThat(committedErr.compareTo(scale.scaleByPowerOfTen(-30))).as("%s certified to 1e-30", f.at(k))
              .isLessThanOrEqualTo(0);
        }
      }
    }
  }

  /** The schema's fields a result file holds, in schema order. */
  static List<Schema.Field> fieldsIn(JsonNode result) {
    List<Schema.Field> present = new ArrayList<>();
    for (Schema.Field f : Schema.FIELDS) {
      if (result.path(f.block()).has(f.name())) {
        present.add(f);
      }
    }
    return present;
  }

  /**
   * The writer, checked on what it writes now (the committed files were written by an earlier
   * run, so comparing them alone would not notice a writer that drops a field): the recomputed
   * result, written as {@code oracle vectors} writes it, has the committed file's shape (every key,
   * array length and value kind), its header, and exactly the in-memory values, certificates and
   * solver reports.
   */
  static void rewritesLikeTheCommittedFile(Oracle.Result now, ObjectNode committed, List<Schema.Field> fields,
      String where) {
    ObjectNode rewritten;
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ResultWriter.write(now, out, GoldenSuite.MAX_MATRIX_ENTRIES);
      byte[] bytes = out.toByteArray();
      assertThat(bytes[bytes.length - 1]).as("%s ends with a newline", where).isEqualTo((byte) '\n');
      rewritten = JsonIn.object(JsonIn.parse(bytes, where + " (rewritten)"), where);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertThat(shape(rewritten)).as("%s: shape of the rewritten file", where).isEqualTo(shape(committed));
    for (String key : List.of("format", "generator", "network", "beta", "eta_W", "digits", "reference_digits",
        "omitted")) {
      assertThat(rewritten.get(key)).as("%s: %s", where, key).isEqualTo(committed.get(key));
    }
    ScalarField<Apfloat> f = now.values().backend().scalars();
    MathContext mc = new MathContext((int) now.digits(), RoundingMode.HALF_EVEN);
    for (Schema.Field fl : fields) {
      JsonNode block = rewritten.get(fl.block());
      Layers<Evaluation.Value<Apfloat[]>> values = now.values().get(fl);
      List<Certification.Entry<Apfloat>> cert = now.certification().entries(fl);
      JsonNode certs = block.get("certified").get("fields").get(fl.name());
      for (int k = values.first(); k <= values.last(); k++) {
        int i = k - values.first();
        JsonNode layer = block.get(fl.name()).get(i);
        if (!layer.isNull()) {
          assertThat(maxDiff(layer, values.at(k), mc, fl.at(k))).as("%s: %s as written", where, fl.at(k))
              .isEqualByComparingTo(BigDecimal.ZERO);
        }
        Certification.Entry<Apfloat> e = cert.get(i);
        JsonNode c = certs.get(i);
        assertThat(c.get("digits").asInt()).as("%s: certified digits of %s", where, fl.at(k)).isEqualTo(e.digits());
        upperBoundToTwoDigits(c.get("abs_err").asText(), f.toDecimal(e.absErr()), where + ": abs_err of " + fl.at(k));
        assertThat(c.path("zero").asBoolean(false)).as("%s: zero flag of %s", where, fl.at(k)).isEqualTo(e.zero());
      }
      Certification.Block b = now.certification().block(fl.block());
      assertThat(block.get("certified").get("digits").asInt()).as("%s: %s certified digits", where, fl.block())
          .isEqualTo(b.digits());
      assertThat(block.get("certified").get("how").asText()).isEqualTo(b.how());
      Evaluation.Solve<Apfloat> solve = now.values().solves().get(fl.block());
      if (solve != null) {
        JsonNode s = block.get("solver");
        assertThat(s.get("method").asText()).as("%s: %s solver", where, fl.block()).isEqualTo(solve.method());
        assertThat(s.get("iterations").asInt()).isEqualTo(solve.iterations());
        upperBoundToTwoDigits(s.get("last_step").asText(), f.toDecimal(solve.lastStep()), where + ": last_step");
        upperBoundToTwoDigits(s.get("residual").asText(), f.toDecimal(solve.residual()), where + ": residual");
        upperBoundToTwoDigits(s.get("next_correction").asText(), f.toDecimal(solve.correction()),
            where + ": next_correction");
      } else {
        assertThat(block.has("solver")).as("%s: %s has no solve", where, fl.block()).isFalse();
      }
    }
  }

  /** A bound as the writer must print it: "0" for 0, else two significant digits, rounded up. */
  static void upperBoundToTwoDigits(String written, BigDecimal exact, String what) {
    if (exact.signum() == 0) {
      assertThat(written).as(what).isEqualTo("0");
      return;
    }
    BigDecimal w = new BigDecimal(written);
    assertThat(w.precision()).as("%s = %s: at most two significant digits", what, written).isLessThanOrEqualTo(2);
    assertThat(w).as("%s = %s bounds %s", what, written, exact).isGreaterThanOrEqualTo(exact);
    BigDecimal unit = exact.round(new MathContext(2, RoundingMode.DOWN)).ulp();
    assertThat(w.subtract(exact)).as("%s = %s: %s rounded up", what, written, exact).isLessThanOrEqualTo(unit);
  }

  /** Keys in order, array lengths and value kinds; a run of strings is summarised by its length. */
  static String shape(JsonNode n) {
    if (n.isObject()) {
      StringBuilder sb = new StringBuilder("{");
      n.fields().forEachRemaining(e -> sb.append(e.getKey()).append(':').append(shape(e.getValue())).append(','));
      return sb.append('}').toString();
    }
    if (n.isArray()) {
      boolean strings = true;
      for (JsonNode x : n) {
        strings &= x.isTextual();
      }
      if (strings) {
        return "[" + n.size() + " strings]";
      }
      StringBuilder sb = new StringBuilder("[");
      n.forEach(x -> sb.append(shape(x)).append(','));
      return sb.append(']').toString();
    }
    return n.getNodeType().toString();
  }

  static BigDecimal maxDiff(JsonNode layer, Evaluation.Value<Apfloat[]> value, MathContext mc, String where) {
    BigDecimal max = BigDecimal.ZERO;
    if (value instanceof Evaluation.Vec<Apfloat[]> v) {
      BigDecimal[] c = JsonIn.vector(layer, where, v.v().length, "recomputed length");
      for (int i = 0; i < c.length; i++) {
        max = max.max(c[i].subtract(new BigDecimal(v.v()[i].toString(true))).abs());
      }
    } else if (value instanceof Evaluation.RankOne<Apfloat[]> r) {
      BigDecimal[][] c = JsonIn.matrix(layer, where, r.left().length, r.right().length, "rows", "columns");
      for (int i = 0; i < c.length; i++) {
        BigDecimal u = new BigDecimal(r.left()[i].toString(true));
        for (int j = 0; j < c[i].length; j++) {
          BigDecimal w = new BigDecimal(r.right()[j].toString(true));
          max = max.max(c[i][j].subtract(new BigDecimal(ResultWriter.entry(u, w, mc))).abs());
        }
      }
    }
    return max;
  }
}
