package ghostunits.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import ghostunits.numeric.DoubleBackend;
import ghostunits.numeric.GhostUnitsException;
import ghostunits.numeric.NonFiniteValueException;
import ghostunits.testing.CliRun;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Bad input never yields a PASS or a stack trace. Valid network and candidate files are generated
 * and then broken (truncated, edited byte by byte, reshaped, given NaN or infinities, a wrong
 * format version, a missing or ill-typed field, beta = 0 where e/beta is asked for); every
 * outcome must be a typed {@link GhostUnitsException} whose message names the problem (the file,
 * the field with its layer and index), or, for a candidate, a FAIL line naming the field, and
 * through the command line exit status 2 (input error) or 1 (FAIL) with one line on stderr.
 */
class MalformedInputProperties {
  static final String SOURCE = "net.json";
  static final ObjectMapper JSON = new ObjectMapper();
  static final long DIGITS = 20;

  // ---- network files ----

  @Property(tries = 60)
  void truncatedNetworkIsAFormatError(@ForAll("cases") GoldenSuite.Case c,
      @ForAll @DoubleRange(min = 0, max = 1, maxIncluded = false) double where) throws Exception {
    byte[] valid = networkBytes(c);
    int end = new String(valid, StandardCharsets.UTF_8).lastIndexOf('}');
    byte[] cut = Arrays.copyOf(valid, (int) (where * end));
    Throwable t = parseNetwork(cut);
    assertThat(t).isInstanceOf(FormatException.class);
    assertThat(t.getMessage()).startsWith(SOURCE + ":").containsAnyOf("not valid JSON", "empty file");
    if (t.getMessage().contains("not valid JSON")) {
      // Where the parser stopped, so that a user can find it in the file.
      assertThat(t.getMessage()).containsPattern("not valid JSON at line \\d+, column \\d+: ");
    }
  }

  @Property(tries = 60)
  void byteEditsGiveAResultOrATypedError(@ForAll("cases") GoldenSuite.Case c,
      @ForAll @DoubleRange(min = 0, max = 1, maxIncluded = false) double where,
      @ForAll @IntRange(min = 0, max = 2) int kind, @ForAll("junk") char junk) throws Exception {
    byte[] valid = networkBytes(c);
    int at = (int) (where * valid.length);
    String s = new String(valid, StandardCharsets.UTF_8);
    String edited = switch (kind) {
      case 0 -> s.substring(0, at) + s.substring(at + 1);
      case 1 -> s.substring(0, at) + junk + s.substring(at);
      default -> s.substring(0, at) + junk + s.substring(at + 1);
    };
    try {
      NetworkFile net = NetworkFile.parse(JsonIn.parse(edited.getBytes(StandardCharsets.UTF_8), SOURCE), SOURCE, null);
      // Still a valid file (e.g. a digit changed): it evaluates, or fails with a typed error.
      Oracle.evaluate(net, new BigDecimal("0.001"), null, everything(net), DIGITS);
    } catch (GhostUnitsException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }

  /** Found by byteEditsGiveAResultOrATypedError: Jackson's own NumberFormatException escaped. */
  @Example
  void numberWithAnExponentBeyondAnyDecimalIsAFormatError() {
    String text = "{\"format\": \"ghost-units/network@1\", \"model\": \"MA\", \"feedback\": \"TF\", \"activation\":"
        + " \"sigmoid\", \"cost\": \"mse\", \"layers\": [1, 1], \"W\": [[[0.4e5654296875]]], \"x\": [1], \"y\": [0]}";
    Throwable t = parseNetwork(text.getBytes(StandardCharsets.UTF_8));
    assertThat(t).isInstanceOf(FormatException.class);
    assertThat(t.getMessage()).startsWith(SOURCE + ": not valid JSON").contains("0.4e5654296875").contains("out of range");
  }

  @Property(tries = 80)
  void wrongShapeNamesTheList(@ForAll("cases") GoldenSuite.Case c, @ForAll("seeds") long seed) throws Exception {
    checkWrongShape(c, seed, seed >> 8);
  }

  /** The same, deterministically: every list of every small golden case, one entry short. */
  @Example
  void everyListOfEveryCaseIsNamedWhenItIsShort() throws Exception {
    for (GoldenSuite.Case c : GoldenSuite.cases(false)) {
      List<Leaf> lists = shortenableLists(networkTree(c));
      for (int v = 0; v < lists.size(); v++) {
        checkWrongShape(c, v, v);
      }
    }
  }

  private static List<Leaf> shortenableLists(ObjectNode root) {
    List<Leaf> lists = new ArrayList<>();
    collectArrays(root, new ArrayList<>(), lists);
    lists.removeIf(l -> l.path().get(0).equals("layers") || l.node().size() == 0);
    return lists;
  }

  private static void checkWrongShape(GoldenSuite.Case c, long pick, long entry) throws Exception {
    ObjectNode root = networkTree(c);
    List<Leaf> lists = shortenableLists(root);
    Leaf victim = lists.get((int) Math.floorMod(pick, lists.size()));
    ((ArrayNode) victim.node()).remove((int) Math.floorMod(entry, victim.node().size()));
    Throwable t = parseNetwork(JSON.writeValueAsBytes(root));
    assertThat(t).isInstanceOf(ShapeException.class);
    String name = name(victim.path());
    boolean modelBGhostRow = c.model() == NetworkFile.ModelKind.MB && victim.path().size() == 2
        && victim.path().get(0).equals("Gamma");
    if (modelBGhostRow) {
      // One ghost fewer is a valid Gamma; the mismatch shows in Omega's columns (or, if it was the
      // only ghost, Gamma has none left).
      int k = Integer.parseInt(victim.path().get(1)) + 1;
      assertThat(t.getMessage()).containsAnyOf(SOURCE + ": Omega^" + k, SOURCE + ": Gamma^" + k + ": layer " + k
          + " needs 1..");
    } else {
      // The whole message: where, the size expected and what fixes it, the size found.
      int size = victim.node().size() + 1;
      assertThat(t.getMessage()).isEqualTo(SOURCE + ": " + name + ": expected " + size + " entries ("
          + sizeMeaning(c, victim.path()) + "), got " + (size - 1));
    }
  }

  /**
   * What the size of the list at {@code path} must match, as the error message says it: the
   * message's specification, list by list (n = the number of weight layers).
   */
  static String sizeMeaning(GoldenSuite.Case c, List<String> path) {
    int n = c.layers().length - 1;
    String key = path.get(0);
    boolean ma = c.model() == NetworkFile.ModelKind.MA;
    if (key.equals("x")) {
      return "the width of layer 0";
    }
    if (key.equals("y")) {
      return "the width of the output layer " + n;
    }
    if (path.size() == 1) {
      return key.equals("W") ? "one matrix W^k per layer k = 1.." + n
          : n == 1 ? "a network without hidden layers has none" : "one matrix per hidden layer k = 1.." + (n - 1);
    }
    int k = Integer.parseInt(path.get(1)) + 1;
    boolean rows = path.size() == 2;
    switch (key) {
      case "W":
        return rows ? "rows of W^" + k + ": the width of layer " + k : "the width of layer " + (k - 1);
      case "B":
        return rows ? "rows: the width of layer " + k : "the width of layer " + (k + 1);
      case "Gamma":
        // (Model B's ghost rows are free; the caller handles them.)
        return rows ? "rows: model MA: one ghost per unit of layer " + (k + 1) : "the width of layer " + k;
      case "Omega":
        return rows ? "rows: the width of layer " + k
            : ma ? "model MA: one ghost per unit of layer " + (k + 1)
                : "the ghosts of layer " + k + " (rows of Gamma^" + k + ")";
      default:
        throw new IllegalArgumentException("no list " + path);
    }
  }

  @Property(tries = 80)
  void nonFiniteNumberIsNamedWhereItIs(@ForAll("cases") GoldenSuite.Case c, @ForAll("seeds") long seed,
      @ForAll("nonFinite") String token) throws Exception {
    ObjectNode root = networkTree(c);
    List<Leaf> numbers = new ArrayList<>();
    collectNumbers(root, new ArrayList<>(), numbers);
    numbers.removeIf(l -> l.path().get(0).equals("layers"));
    Leaf victim = numbers.get((int) Math.floorMod(seed, numbers.size()));
    replace(root, victim.path(), new TextNode("@@PLANT@@"));
    String text = JSON.writeValueAsString(root).replace("\"@@PLANT@@\"", token);
    Throwable t = parseNetwork(text.getBytes(StandardCharsets.UTF_8));
    assertThat(t).isInstanceOf(NonFiniteValueException.class);
    assertThat(t.getMessage()).startsWith(SOURCE + ": " + name(victim.path()) + ":");
  }

  @Property(tries = 40)
  void unknownFormatIsUnsupported(@ForAll("cases") GoldenSuite.Case c, @ForAll("formats") String format)
      throws Exception {
    ObjectNode root = networkTree(c);
    root.put("format", format);
    Throwable t = parseNetwork(JSON.writeValueAsBytes(root));
    assertThat(t).isInstanceOf(UnsupportedFormatException.class);
    assertThat(t.getMessage()).startsWith(SOURCE + ": format").contains("not supported");
  }

  @Property(tries = 60)
  void missingOrIllTypedFieldIsNamed(@ForAll("cases") GoldenSuite.Case c, @ForAll("keys") String key,
      @ForAll @IntRange(min = 0, max = 5) int replacement) throws Exception {
    ObjectNode root = networkTree(c);
    Assume.that(root.has(key));
    JsonNodeFactory nf = JsonNodeFactory.instance;
    JsonNode wrong = switch (replacement) {
      case 0 -> null;
      case 1 -> nf.booleanNode(true);
      case 2 -> nf.objectNode();
      case 3 -> nf.textNode("abc");
      case 4 -> nf.numberNode(3.5);
      default -> nf.arrayNode();
    };
    if (wrong == null) {
      root.remove(key);
    } else {
      root.set(key, wrong);
    }
    Throwable t = parseNetwork(JSON.writeValueAsBytes(root));
    if (t == null) {
      // Only a documented default: B, Gamma, Omega may be left out (TF, Model A), or be empty lists
      // when there is no hidden layer.
      assertThat(key).isIn("B", "Gamma", "Omega");
      assertThat(replacement == 0 || (replacement == 5 && c.layers().length == 2)).isTrue();
      return;
    }
    assertThat(t).isInstanceOf(FormatException.class);
    assertThat(t.getMessage()).startsWith(SOURCE + ":").contains(key);
  }

  /**
   * Under feedback TF the file may spell B out, but then it must be (W^{k+1})^T entry by entry
   * (compared as decimals, so 0.5 and 0.50 agree): the transpose given explicitly, even with
   * trailing zeros, reads as the file without B; one entry changed is refused, naming B^k[i][j],
   * both values and what to do.
   */
  @Property(tries = 10)
  void tfFeedbackGivenExplicitlyMustBeTheTranspose(@ForAll("seeds") long seed) throws Exception {
    // Every small TF case with a hidden layer, each try (drawing cases and discarding the others
    // exhausted jqwik's discard limit once in CI).
    int checked = 0;
    for (GoldenSuite.Case c : GoldenSuite.cases(false)) {
      if (c.feedback() == ghostunits.model.Feedback.TF && c.layers().length > 2) {
        checkExplicitTranspose(c, seed);
        checked++;
      }
    }
    assertThat(checked).isGreaterThanOrEqualTo(4);
  }

  private static void checkExplicitTranspose(GoldenSuite.Case c, long seed) throws Exception {
    // Read as the oracle reads it (exact decimals), so that the transpose written back is exact.
    ObjectNode tree = (ObjectNode) JsonIn.parse(networkBytes(c), SOURCE);
    assertThat(tree.get("B")).as("%s leaves B to its TF default", c.name()).isNull();
    NetworkFile without = NetworkFile.parse(tree, SOURCE, null);
    java.util.Random rng = new java.util.Random(seed);
    ArrayNode b = tree.putArray("B");
    JsonNode w = tree.get("W");
    int hidden = c.layers().length - 2;
    for (int k = 1; k <= hidden; k++) {
      JsonNode next = w.get(k); // W^{k+1}: n_{k+1} rows of n_k
      ArrayNode bk = b.addArray();
      for (int i = 0; i < c.layers()[k]; i++) {
        ArrayNode row = bk.addArray();
        for (int j = 0; j < c.layers()[k + 1]; j++) {
          BigDecimal v = next.get(j).get(i).decimalValue();
          row.add(rng.nextBoolean() ? v : v.setScale(v.scale() + 2));
        }
      }
    }
    NetworkFile with = NetworkFile.parse(JSON.readTree(JSON.writeValueAsBytes(tree)), SOURCE, null);
    assertThat(with.b()).as("B read as given").isNotNull();
    for (int k = 1; k <= hidden; k++) {
      BigDecimal[][] given = with.b().get(k - 1);
      BigDecimal[][] wNext = without.w().get(k);
      for (int i = 0; i < given.length; i++) {
        for (int j = 0; j < given[i].length; j++) {
          assertThat(given[i][j]).isEqualByComparingTo(wNext[j][i]);
        }
      }
    }
    int k = 1 + rng.nextInt(hidden);
    int i = rng.nextInt(c.layers()[k]);
    int j = rng.nextInt(c.layers()[k + 1]);
    BigDecimal right = w.get(k).get(j).get(i).decimalValue();
    BigDecimal wrong = right.add(new BigDecimal("0.001"));
    ((ArrayNode) b.get(k - 1).get(i)).set(j, JsonNodeFactory.instance.numberNode(wrong));
    Throwable t = parseNetwork(JSON.writeValueAsBytes(tree));
    assertThat(t).isInstanceOf(FormatException.class);
    assertThat(t.getMessage()).isEqualTo(SOURCE + ": B^" + k + "[" + i + "][" + j + "] = " + wrong
        + " but feedback TF means B^" + k + " = (W^" + (k + 1) + ")^T, whose entry is " + right
        + " (omit \"B\" under TF, or use feedback FA)");
  }

  @Property(tries = 20)
  void betaZeroWhereAQuotientIsAskedIsAnError(@ForAll("cases") GoldenSuite.Case c) throws Exception {
    NetworkFile net = NetworkFile.parse(JsonIn.parse(networkBytes(c), SOURCE), SOURCE, null);
    Throwable t = catching(() -> Oracle.evaluate(net, BigDecimal.ZERO, null, everything(net), DIGITS));
    assertThat(t).isInstanceOf(OracleInputException.class);
    assertThat(t.getMessage()).contains("beta = 0").contains("estimate.e_over_beta");
  }

  /**
   * beta is asked for exactly by the blocks that use it (nudged, nudged_negative, estimate, update)
   * and beta = 0 is refused exactly by those that divide by it (estimate, update), each refusal
   * naming the wanted fields that caused it and no others (specs/oracle-format.md, section 2). Where
   * beta = 0 is accepted, the nudged phase is the free phase.
   */
  @Property(tries = 40)
  void betaIsAskedForExactlyWhereItIsUsed(@ForAll("cases") GoldenSuite.Case c,
      @ForAll("fieldSets") List<Schema.Field> wanted) throws Exception {
    NetworkFile net = NetworkFile.parse(JsonIn.parse(networkBytes(c), SOURCE), SOURCE, null);
    List<String> needing = new ArrayList<>();
    List<String> dividing = new ArrayList<>();
    for (Schema.Field f : wanted) {
      if (List.of("nudged", "nudged_negative", "estimate", "update").contains(f.block())) {
        needing.add(f.path());
      }
      if (List.of("estimate", "update").contains(f.block())) {
        dividing.add(f.path());
      }
    }
    Throwable noBeta = catching(() -> Evaluation.run(DoubleBackend.INSTANCE, net, null, BigDecimal.ONE, wanted));
    if (needing.isEmpty()) {
      assertThat(noBeta).as("%s without beta", wanted).isNull();
    } else {
      assertThat(noBeta).isInstanceOf(OracleInputException.class);
      assertThat(noBeta.getMessage()).isEqualTo("no beta given, but " + needing + " need the nudged phase (pass"
          + " --beta, or give \"beta\" in the candidate file)");
    }
    if (!dividing.isEmpty()) {
      Throwable zero = catching(() -> Evaluation.run(DoubleBackend.INSTANCE, net, BigDecimal.ZERO, BigDecimal.ONE, wanted));
      assertThat(zero).isInstanceOf(OracleInputException.class);
      assertThat(zero.getMessage()).isEqualTo("beta = 0, but " + dividing + " divide by beta (use a nonzero beta, or"
          + " leave those fields out)");
      return;
    }
    // Accepted (an exception fails the property here with its own message).
    var atZero = Evaluation.run(DoubleBackend.INSTANCE, net, BigDecimal.ZERO, BigDecimal.ONE, wanted);
    var free = Evaluation.run(DoubleBackend.INSTANCE, net, null, null, Schema.fieldsOf("free"));
    for (Schema.Field f : wanted) {
      if (f.block().startsWith("nudged")) {
        Schema.Field same = Schema.field("free", f.name());
        for (int k = 1; k <= atZero.get(f).count(); k++) {
          double[] got = ((Evaluation.Vec<double[]>) atZero.get(f).at(k)).v();
          double[] expected = ((Evaluation.Vec<double[]>) free.get(java.util.Objects.requireNonNull(same)).at(k)).v();
          for (int i = 0; i < got.length; i++) {
            assertThat(got[i]).as("%s^%d[%d] at beta = 0 against the free phase", f.path(), k, i)
                .isCloseTo(expected[i], org.assertj.core.api.Assertions.within(1e-12 * (1 + Math.abs(expected[i]))));
          }
        }
      }
    }
  }

  @Provide
  Arbitrary<List<Schema.Field>> fieldSets() {
    // In schema order, as a --fields list is evaluated.
    return Arbitraries.subsetOf(Schema.FIELDS).ofMinSize(1)
        .map(set -> Schema.FIELDS.stream().filter(set::contains).toList());
  }

  @Property(tries = 10)
  void updateWithoutALearningRateIsAnError(@ForAll("cases") GoldenSuite.Case c) throws Exception {
    NetworkFile net = NetworkFile.parse(JsonIn.parse(networkBytes(c), SOURCE), SOURCE, null);
    Throwable t = catching(() -> Oracle.evaluate(net, new BigDecimal("0.001"), null,
        Schema.select(List.of("update.dW"), "test"), DIGITS));
    assertThat(t).isInstanceOf(OracleInputException.class);
    assertThat(t.getMessage()).contains("\"update\" block needs the learning rate eta_W");
  }

  // ---- candidate files ----

  /**
   * verify takes beta and eta_W from the candidate file unless the options give them, and then
   * the options win (specs/oracle-format.md, verify); rtol = 0 or atol = 0 (a purely absolute or
   * relative tolerance) is allowed. PIT: reading eta_W from the file only when an option was
   * given, or refusing rtol 0 or atol 0, survived every test.
   */
  @Property(tries = 20)
  void verifyTakesBetaAndEtaFromTheCandidateUnlessTheOptionsGiveThem(@ForAll("cases") GoldenSuite.Case c)
      throws Exception {
    NetworkFile net = NetworkFile.parse(JsonIn.parse(networkBytes(c), SOURCE), SOURCE, null);
    List<String> asked = new ArrayList<>(Schema.REQUIRED);
    asked.add("update.dW");
    Oracle.Result r = Oracle.evaluate(net, new BigDecimal("0.001"), new BigDecimal("0.37"),
        Schema.select(asked, "test"), DIGITS);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ResultWriter.write(r, out, Long.MAX_VALUE);
    ObjectNode candidate = (ObjectNode) JSON.readTree(out.toByteArray());
    BigDecimal rtol = new BigDecimal("1e-10");
    BigDecimal atol = new BigDecimal("1e-12");
    Verifier.Report fromFile = Verifier.verify(net, candidate, "cand.json",
        new Verifier.Options(rtol, atol, 30, null, null, null));
    assertThat(fromFile.passed()).as("beta and eta_W from the file:%n%s", fromFile.lines()).isTrue();
    assertThat(fromFile.lines()).extracting(Verifier.Line::field).contains("update.dW");
    assertThat(fromFile.header()).contains(", beta 0.001\n");
    Verifier.Report absolute = Verifier.verify(net, candidate, "cand.json",
        new Verifier.Options(BigDecimal.ZERO, atol, 30, null, null, null));
    assertThat(absolute.passed()).as("rtol 0:%n%s", absolute.lines()).isTrue();
    // A purely relative tolerance suits fields without cancellation, such as the rates (free.e is
    // zero up to rounding at the free equilibrium, T0 and T2a, and fails it at any rtol, as it
    // should: seen in a 120-try run of this property).
    Verifier.Report relative = Verifier.verify(net, candidate, "cand.json",
        new Verifier.Options(rtol, BigDecimal.ZERO, 30, null, null, List.of("mlp.r")));
    assertThat(relative.passed()).as("atol 0:%n%s", relative.lines()).isTrue();

    Verifier.Report otherEta = Verifier.verify(net, candidate, "cand.json",
        new Verifier.Options(rtol, atol, 30, null, new BigDecimal("0.5"), null));
    assertThat(otherEta.failures()).extracting(Verifier.Line::field).containsOnly("update.dW").isNotEmpty();
    Verifier.Report otherBeta = Verifier.verify(net, candidate, "cand.json",
        new Verifier.Options(rtol, atol, 30, new BigDecimal("0.002"), null, null));
    assertThat(otherBeta.failures()).extracting(Verifier.Line::field).contains("nudged.s", "estimate.e_over_beta")
        .doesNotContain("free.s", "mlp.s", "backprop.dW");
    assertThat(otherBeta.header()).contains(", beta 0.002\n");
  }

  @Property(tries = 25)
  void brokenCandidateNeverPasses(@ForAll("cases") GoldenSuite.Case c, @ForAll("seeds") long seed,
      @ForAll @IntRange(min = 0, max = 5) int kind) throws Exception {
    NetworkFile net = NetworkFile.parse(JsonIn.parse(networkBytes(c), SOURCE), SOURCE, null);
    ObjectNode candidate = referenceAsCandidate(net);
    Verifier.Options tight = new Verifier.Options(new BigDecimal("1e-10"), new BigDecimal("1e-12"), 30, null, null,
        null);
    assertThat(Verifier.verify(net, candidate, "cand.json", tight).passed()).as("the reference passes").isTrue();
    List<String> fields = new ArrayList<>(Schema.REQUIRED);
    if (net.depth() == 1) {
      fields.removeIf(f -> f.endsWith(".g"));
    }
    String field = fields.get((int) Math.floorMod(seed, fields.size()));
    String[] parts = field.split("\\.");
    ObjectNode block = (ObjectNode) candidate.get(parts[0]);
    ArrayNode layers = (ArrayNode) block.get(parts[1]);
    String expected = field;
    switch (kind) {
      case 0 -> block.remove(parts[1]); // missing
      case 1 -> layers.remove(layers.size() - 1); // a layer short
      case 2 -> { // an entry short
        ArrayNode first = (ArrayNode) layers.get(0);
        JsonNode inner = first.get(0);
        (inner.isArray() ? (ArrayNode) inner : first).remove(0);
      }
      case 3 -> { // NaN
        ArrayNode first = (ArrayNode) layers.get(0);
        ArrayNode target = first.get(0).isArray() ? (ArrayNode) first.get(0) : first;
        target.set(0, JsonNodeFactory.instance.numberNode(Double.NaN));
      }
      case 4 -> { // a wrong value
        ArrayNode first = (ArrayNode) layers.get(0);
        ArrayNode target = first.get(0).isArray() ? (ArrayNode) first.get(0) : first;
        BigDecimal v = new BigDecimal(target.get(0).asText());
        target.set(0, JsonNodeFactory.instance.textNode(v.add(BigDecimal.ONE).toString()));
      }
      default -> { // a misspelt field
        block.set(parts[1] + "x", block.remove(parts[1]));
      }
    }
    Verifier.Report report = Verifier.verify(net, candidate, "cand.json", tight);
    assertThat(report.passed()).as("a broken candidate never passes").isFalse();
    assertThat(report.failures()).anySatisfy(l -> assertThat(l.field()).isEqualTo(expected));
    if (kind == 1) {
      // The note says which layers the field has (a ghost field only the hidden ones).
      String note = layerShortNote(java.util.Objects.requireNonNull(Schema.field(parts[0], parts[1])), net.depth());
      assertThat(report.failures()).anySatisfy(l -> assertThat(l.note()).isEqualTo(note));
    }
  }

  /** A layer short, in a unit field and in a ghost field: the note names the layers each has. */
  @Example
  void aLayerShortIsNamedWithTheLayersTheFieldHas() throws Exception {
    GoldenSuite.Case c = GoldenSuite.cases(false).stream().filter(k -> k.layers().length >= 4).findFirst().orElseThrow();
    NetworkFile net = NetworkFile.parse(JsonIn.parse(networkBytes(c), SOURCE), SOURCE, null);
    int n = net.depth();
    Verifier.Options tight = new Verifier.Options(new BigDecimal("1e-10"), new BigDecimal("1e-12"), 30, null, null,
        null);
    for (String[] field : new String[][] {{"free", "s"}, {"free", "g"}}) {
      ObjectNode candidate = referenceAsCandidate(net);
      ArrayNode layers = (ArrayNode) candidate.get(field[0]).get(field[1]);
      layers.remove(layers.size() - 1);
      Verifier.Report report = Verifier.verify(net, candidate, "cand.json", tight);
      String note = layerShortNote(java.util.Objects.requireNonNull(Schema.field(field[0], field[1])), n);
      assertThat(report.failures()).singleElement().satisfies(l -> {
        assertThat(l.field()).isEqualTo(field[0] + "." + field[1]);
        assertThat(l.note()).isEqualTo(note);
      });
    }
  }

  @Property(tries = 20)
  void truncatedCandidateIsAFormatError(@ForAll("cases") GoldenSuite.Case c,
      @ForAll @DoubleRange(min = 0, max = 1, maxIncluded = false) double where) throws Exception {
    NetworkFile net = NetworkFile.parse(JsonIn.parse(networkBytes(c), SOURCE), SOURCE, null);
    byte[] valid = JSON.writeValueAsBytes(referenceAsCandidate(net));
    byte[] cut = Arrays.copyOf(valid, (int) (where * (valid.length - 1)));
    Throwable t = catching(() -> Verifier.verify(net, JsonIn.parse(cut, "cand.json"), "cand.json",
        new Verifier.Options(new BigDecimal("1e-6"), new BigDecimal("1e-9"), DIGITS, null, null, null)));
    assertThat(t).isInstanceOf(FormatException.class);
    assertThat(t.getMessage()).startsWith("cand.json:");
  }

  // ---- through the command line: exit status and one line, never a stack trace ----

  @Property(tries = 12)
  void commandLineReportsBadInputInOneLine(@ForAll("cases") GoldenSuite.Case c, @ForAll @IntRange(min = 0, max = 3) int kind)
      throws Exception {
    Path dir = Files.createTempDirectory("oracle-bad");
    try {
      Path net = dir.resolve("net.json");
      ObjectNode root = networkTree(c);
      switch (kind) {
        case 0 -> Files.write(net, Arrays.copyOf(JSON.writeValueAsBytes(root), 40));
        case 1 -> {
          root.put("format", "ghost-units/network@9");
          Files.write(net, JSON.writeValueAsBytes(root));
        }
        case 2 -> {
          ((ArrayNode) root.get("x")).remove(0);
          Files.write(net, JSON.writeValueAsBytes(root));
        }
        default -> Files.write(net, JSON.writeValueAsBytes(root)); // valid, but beta = 0 below
      }
      CliRun run = CliRun.of("oracle", "eval", "--network", net.toString(), "--beta", "0", "--digits", "20", "--out",
          dir.resolve("out.json").toString());
      assertThat(run.status()).isEqualTo(2);
      assertThat(run.err().strip()).startsWith("error: ").doesNotContain("\n").doesNotContain("\tat ");
      assertThat(run.out()).doesNotContain("PASS");
    } finally {
      deleteTree(dir);
    }
  }

  // ---- helpers ----

  /** verify's note for a field given with one layer too few, in a network of depth n. */
  static String layerShortNote(Schema.Field f, int n) {
    boolean ghosts = f.range() == Schema.Range.GHOSTS;
    int count = ghosts ? n - 1 : n;
    return "expected " + count + " layers (" + (ghosts ? "hidden layers 1.." + (n - 1) : "layers 1.." + n) + "), got "
        + (count - 1);
  }

  record Leaf(List<String> path, JsonNode node) {}

  static void deleteTree(Path dir) throws IOException {
    try (var files = Files.walk(dir)) {
      for (Path p : files.sorted((a, b) -> b.compareTo(a)).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  static List<Schema.Field> everything(NetworkFile net) {
    List<Schema.Field> out = new ArrayList<>();
    for (Schema.Field f : Schema.FIELDS) {
      if (!f.block().equals("update")) {
        out.add(f);
      }
    }
    return out;
  }

  static byte[] networkBytes(GoldenSuite.Case c) throws IOException {
    return JSON.writeValueAsBytes(GoldenSuite.build(c, null).toJson(null));
  }

  static ObjectNode networkTree(GoldenSuite.Case c) throws IOException {
    return (ObjectNode) JSON.readTree(networkBytes(c));
  }

  /** The reference result of the required fields, written and read back as a candidate. */
  static ObjectNode referenceAsCandidate(NetworkFile net) throws IOException {
    Oracle.Result r = Oracle.evaluate(net, new BigDecimal("0.001"), null, Schema.select(Schema.REQUIRED, "test"), DIGITS);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ResultWriter.write(r, out, Long.MAX_VALUE);
    return (ObjectNode) JSON.readTree(out.toByteArray());
  }

  static @Nullable Throwable parseNetwork(byte[] bytes) {
    return catching(() -> NetworkFile.parse(JsonIn.parse(bytes, SOURCE), SOURCE, null));
  }

  interface Body {
    Object run() throws Exception;
  }

  static @Nullable Throwable catching(Body body) {
    try {
      body.run();
      return null;
    } catch (Throwable t) {
      return t;
    }
  }

  /** How the oracle names a place: W^2[1][0], x[3], Gamma^1[0]. */
  static String name(List<String> path) {
    StringBuilder sb = new StringBuilder(path.get(0));
    for (int i = 1; i < path.size(); i++) {
      boolean layered = i == 1 && List.of("W", "B", "Gamma", "Omega").contains(path.get(0));
      sb.append(layered ? "^" + (Integer.parseInt(path.get(i)) + 1) : "[" + path.get(i) + "]");
    }
    return sb.toString();
  }

  static void collectNumbers(JsonNode n, List<String> path, List<Leaf> out) {
    if (n.isNumber()) {
      out.add(new Leaf(List.copyOf(path), n));
    } else if (n.isTextual() && isDecimal(n.asText()) && !path.isEmpty()) {
      out.add(new Leaf(List.copyOf(path), n));
    }
    walk(n, path, (p, child) -> collectNumbers(child, p, out));
  }

  static void collectArrays(JsonNode n, List<String> path, List<Leaf> out) {
    if (n.isArray()) {
      out.add(new Leaf(List.copyOf(path), n));
    }
    walk(n, path, (p, child) -> collectArrays(child, p, out));
  }

  interface Visitor {
    void visit(List<String> path, JsonNode child);
  }

  static void walk(JsonNode n, List<String> path, Visitor v) {
    if (n.isArray()) {
      for (int i = 0; i < n.size(); i++) {
        path.add(Integer.toString(i));
        v.visit(path, n.get(i));
        path.remove(path.size() - 1);
      }
    } else if (n.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        path.add(e.getKey());
        v.visit(path, e.getValue());
        path.remove(path.size() - 1);
      }
    }
  }

  static void replace(JsonNode root, List<String> path, JsonNode value) {
    JsonNode parent = root;
    for (int i = 0; i < path.size() - 1; i++) {
      String p = path.get(i);
      parent = parent.isArray() ? parent.get(Integer.parseInt(p)) : parent.get(p);
    }
    String last = path.get(path.size() - 1);
    if (parent.isArray()) {
      ((ArrayNode) parent).set(Integer.parseInt(last), value);
    } else {
      ((ObjectNode) parent).set(last, value);
    }
  }

  static boolean isDecimal(String s) {
    try {
      new BigDecimal(s);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  @Provide
  Arbitrary<GoldenSuite.Case> cases() {
    return OracleArbitraries.cases(2, 4);
  }

  @Provide
  Arbitrary<Long> seeds() {
    return Arbitraries.longs();
  }

  @Provide
  Arbitrary<Character> junk() {
    return Arbitraries.of('{', '}', '[', ']', ',', ':', '"', '-', '.', 'e', '0', '7', 'x', ' ', 'N', '\u00e9');
  }

  @Provide
  Arbitrary<String> nonFinite() {
    return Arbitraries.of("NaN", "Infinity", "-Infinity", "\"NaN\"", "\"inf\"", "\"-Infinity\"", "\"nan\"", "\"+inf\"");
  }

  @Provide
  Arbitrary<String> formats() {
    return Arbitraries.oneOf(Arbitraries.of("ghost-units/network@2", "ghost-units/network@0", "ghost-units/result@1",
        "ghost-units/network", "GHOST-UNITS/NETWORK@1", ""), Arbitraries.strings().ofMaxLength(30)
        .filter(s -> !s.equals(Schema.NETWORK_FORMAT)));
  }

  @Provide
  Arbitrary<String> keys() {
    return Arbitraries.of("format", "model", "feedback", "activation", "cost", "layers", "W", "B", "Gamma", "Omega", "x",
        "y");
  }
}
