package ghostunits.oracle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import ghostunits.model.Feedback;
import ghostunits.model.Layers;
import ghostunits.model.Weights;
import ghostunits.numeric.Backend;
import ghostunits.numeric.ScalarField;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.IntFunction;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A network file (ghost-units/network@1): the layer widths, the weights and one example, as exact
 * decimals. Absent B means TF (B^k = (W^{k+1})^T); absent Gamma / Omega mean Model A's converged
 * ghosts (Gamma^k = W^{k+1}, Omega^k = B^k); Model B must give both. Validated on reading: every
 * problem is a typed exception naming the file and the field.
 */
public record NetworkFile(
    String source,
    @Nullable String sha256,
    ModelKind model,
    Feedback feedback,
    int[] layers,
    List<BigDecimal[][]> w,
    @Nullable List<BigDecimal[][]> b,
    @Nullable List<BigDecimal[][]> gamma,
    @Nullable List<BigDecimal[][]> omega,
    BigDecimal[] x,
    BigDecimal[] y) {

  /** Model A (one ghost per unit of the layer above) or Model B (any number of ghosts). */
  public enum ModelKind { MA, MB }

  static final Set<String> KEYS = Set.of("format", "model", "feedback", "activation", "cost", "layers", "W", "B",
      "Gamma", "Omega", "x", "y", "name", "comment", "meta");

  /** Largest width accepted for a layer. */
  public static final int MAX_WIDTH = 100_000;

  public static NetworkFile read(Path path) {
    JsonIn.Parsed parsed = JsonIn.read(path);
    return parse(parsed.root(), path.toString(), parsed.sha256());
  }

  public static NetworkFile parse(JsonNode rootNode, String source, @Nullable String sha256) {
    ObjectNode root = JsonIn.object(rootNode, source);
    String format = JsonIn.text(JsonIn.required(root, "format", source), source + ": format");
    if (!format.equals(Schema.NETWORK_FORMAT)) {
      throw new UnsupportedFormatException(source + ": format \"" + JsonIn.abbreviate(format) + "\" is not supported"
          + (format.startsWith("ghost-units/network@") ? " (unknown version; this oracle reads " + Schema.NETWORK_FORMAT + ")"
              : " (expected " + Schema.NETWORK_FORMAT + ")"));
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!KEYS.contains(key)) {
        throw new FormatException(source + ": unknown field \"" + JsonIn.abbreviate(key) + "\" (fields: " + KEYS + ")");
      }
    }
    ModelKind model = choice(root, "model", source, ModelKind.class);
    Feedback feedback = choice(root, "feedback", source, Feedback.class);
    String activation = JsonIn.text(JsonIn.required(root, "activation", source), source + ": activation");
    if (!activation.equals("sigmoid")) {
      throw new UnsupportedFormatException(source + ": activation \"" + JsonIn.abbreviate(activation)
          + "\" is not supported (only \"sigmoid\")");
    }
    String cost = JsonIn.text(JsonIn.required(root, "cost", source), source + ": cost");
    if (!cost.equals("mse")) {
      throw new UnsupportedFormatException(source + ": cost \"" + JsonIn.abbreviate(cost)
          + "\" is not supported (only \"mse\")");
    }
    List<JsonNode> layerNodes = JsonIn.array(JsonIn.required(root, "layers", source), source + ": layers", -1, "");
    if (layerNodes.size() < 2) {
      throw new ShapeException(source + ": layers: a network needs at least an input and an output layer, got "
          + layerNodes.size() + " widths");
    }
    int[] layers = new int[layerNodes.size()];
    for (int k = 0; k < layers.length; k++) {
      layers[k] = JsonIn.integer(layerNodes.get(k), source + ": layers[" + k + "]", 1, MAX_WIDTH);
    }
    int n = layers.length - 1;
    List<JsonNode> wNodes = JsonIn.array(JsonIn.required(root, "W", source), source + ": W", n,
        "one matrix W^k per layer k = 1.." + n);
    List<BigDecimal[][]> w = new ArrayList<>();
    for (int k = 1; k <= n; k++) {
      w.add(JsonIn.matrix(wNodes.get(k - 1), source + ": W^" + k, layers[k], layers[k - 1],
          "rows of W^" + k + ": the width of layer " + k, "the width of layer " + (k - 1)));
    }
    List<BigDecimal[][]> b = hiddenMatrices(root, "B", source, n, k -> layers[k], k -> layers[k + 1],
        k -> "the width of layer " + k, k -> "the width of layer " + (k + 1));
    if (feedback == Feedback.FA && b == null && n > 1) {
      throw new FormatException(source + ": feedback FA needs its fixed feedback weights \"B\" (B^k for k = 1.."
          + (n - 1) + ")");
    }
    if (feedback == Feedback.TF && b != null) {
      requireTranspose(source, w, b);
    }
    List<BigDecimal[][]> gamma;
    List<BigDecimal[][]> omega;
    if (model == ModelKind.MB) {
      if (n > 1 && (JsonIn.optional(root, "Gamma") == null || JsonIn.optional(root, "Omega") == null)) {
        throw new FormatException(source + ": model MB needs \"Gamma\" and \"Omega\" (Model A's converged ghosts are"
            + " the default only for model MA)");
      }
      gamma = hiddenGhostRows(root, source, n, layers);
      List<BigDecimal[][]> g = gamma;
      omega = g == null ? null : hiddenMatrices(root, "Omega", source, n, k -> layers[k], k -> g.get(k - 1).length,
          k -> "the width of layer " + k, k -> "the ghosts of layer " + k + " (rows of Gamma^" + k + ")");
    } else {
      gamma = hiddenMatrices(root, "Gamma", source, n, k -> layers[k + 1], k -> layers[k],
          k -> "model MA: one ghost per unit of layer " + (k + 1), k -> "the width of layer " + k);
      omega = hiddenMatrices(root, "Omega", source, n, k -> layers[k], k -> layers[k + 1],
          k -> "the width of layer " + k, k -> "model MA: one ghost per unit of layer " + (k + 1));
    }
    BigDecimal[] x = JsonIn.vector(JsonIn.required(root, "x", source), source + ": x", layers[0], "the width of layer 0");
    BigDecimal[] y = JsonIn.vector(JsonIn.required(root, "y", source), source + ": y", layers[n],
        "the width of the output layer " + n);
    return new NetworkFile(source, sha256, model, feedback, layers, w, b, gamma, omega, x, y);
  }

  private interface Width {
    int of(int k);
  }

  /** Gamma of Model B: m_k rows (m_k >= 1, free) of n_k columns. */
  private static @Nullable List<BigDecimal[][]> hiddenGhostRows(ObjectNode root, String source, int n, int[] layers) {
    JsonNode node = JsonIn.optional(root, "Gamma");
    if (node == null) {
      return null;
    }
    List<JsonNode> items = JsonIn.array(node, source + ": Gamma", n - 1, "one matrix per hidden layer k = 1.." + (n - 1));
    List<BigDecimal[][]> out = new ArrayList<>();
    for (int k = 1; k < n; k++) {
      String where = source + ": Gamma^" + k;
      List<JsonNode> rows = JsonIn.array(items.get(k - 1), where, -1, "");
      if (rows.isEmpty() || rows.size() > MAX_WIDTH) {
        throw new ShapeException(where + ": layer " + k + " needs 1.." + MAX_WIDTH + " ghost units (rows), got "
            + rows.size());
      }
      out.add(JsonIn.matrix(items.get(k - 1), where, rows.size(), layers[k], "", "the width of layer " + k));
    }
    return out;
  }

  /** B, Gamma or Omega: one matrix per hidden layer, rows(k) x cols(k); null when absent. */
  private static @Nullable List<BigDecimal[][]> hiddenMatrices(ObjectNode root, String key, String source, int n,
      Width rows, Width cols, IntFunction<String> rowMeaning, IntFunction<String> colMeaning) {
    JsonNode node = JsonIn.optional(root, key);
    if (node == null) {
      return null;
    }
    List<JsonNode> items = JsonIn.array(node, source + ": " + key, n - 1,
        n == 1 ? "a network without hidden layers has none" : "one matrix per hidden layer k = 1.." + (n - 1));
    if (n == 1) {
      return null;
    }
    List<BigDecimal[][]> out = new ArrayList<>();
    for (int k = 1; k < n; k++) {
      out.add(JsonIn.matrix(items.get(k - 1), source + ": " + key + "^" + k, rows.of(k), cols.of(k),
          "rows: " + rowMeaning.apply(k), colMeaning.apply(k)));
    }
    return out;
  }

  private static void requireTranspose(String source, List<BigDecimal[][]> w, List<BigDecimal[][]> b) {
    for (int k = 1; k <= b.size(); k++) {
      BigDecimal[][] bk = b.get(k - 1);
      BigDecimal[][] wk1 = w.get(k);
      for (int i = 0; i < bk.length; i++) {
        for (int j = 0; j < bk[i].length; j++) {
          if (bk[i][j].compareTo(wk1[j][i]) != 0) {
            throw new FormatException(source + ": B^" + k + "[" + i + "][" + j + "] = " + bk[i][j] + " but feedback TF"
                + " means B^" + k + " = (W^" + (k + 1) + ")^T, whose entry is " + wk1[j][i]
                + " (omit \"B\" under TF, or use feedback FA)");
          }
        }
      }
    }
  }

  private static <E extends Enum<E>> E choice(ObjectNode root, String key, String source, Class<E> type) {
    String v = JsonIn.text(JsonIn.required(root, key, source), source + ": " + key);
    E[] values = type.getEnumConstants();
    if (values == null) {
      throw new IllegalArgumentException(type + " is not an enum");
    }
    for (E e : values) {
      if (e.name().equals(v)) {
        return e;
      }
    }
    List<String> names = new ArrayList<>();
    for (E e : values) {
      names.add("\"" + e.name() + "\"");
    }
    throw new UnsupportedFormatException(source + ": " + key + " \"" + JsonIn.abbreviate(v) + "\" is not one of "
        + String.join(", ", names));
  }

  // ---- the network in a backend ----

  public int depth() {
    return layers.length - 1;
  }

  public int width(int k) {
    return layers[k];
  }

  /** m_k: ghost units of hidden layer k. */
  public int ghosts(int k) {
    List<BigDecimal[][]> g = gamma;
    return g == null ? layers[k + 1] : g.get(k - 1).length;
  }

  /** The weights with the defaults filled in: B (TF: W^T), Gamma and Omega (MA: converged). */
  public <S, V, M> Weights<M> weights(Backend<S, V, M> be) {
    int n = depth();
    Layers<M> wl = Layers.build(1, n, k -> matrix(be, w.get(k - 1)));
    List<BigDecimal[][]> bGiven = b;
    Layers<M> bl = bGiven != null ? Layers.build(1, n - 1, k -> matrix(be, bGiven.get(k - 1)))
        : Layers.build(1, n - 1, k -> be.transpose(wl.at(k + 1)));
    List<BigDecimal[][]> gGiven = gamma;
    Layers<M> gl = gGiven != null ? Layers.build(1, n - 1, k -> matrix(be, gGiven.get(k - 1)))
        : Layers.build(1, n - 1, k -> wl.at(k + 1));
    List<BigDecimal[][]> oGiven = omega;
    Layers<M> ol = oGiven != null ? Layers.build(1, n - 1, k -> matrix(be, oGiven.get(k - 1))) : bl;
    return Weights.of(be, feedback, wl, bl, gl, ol);
  }

  public <S, V, M> V x(Backend<S, V, M> be) {
    return vector(be, x);
  }

  public <S, V, M> V y(Backend<S, V, M> be) {
    return vector(be, y);
  }

  public static <S, V, M> M matrix(Backend<S, V, M> be, BigDecimal[][] m) {
    return be.matrixOfDecimals(m.length, m.length == 0 ? 0 : m[0].length, (i, j) -> m[i][j]);
  }

  public static <S, V, M> V vector(Backend<S, V, M> be, BigDecimal[] v) {
    ScalarField<S> f = be.scalars();
    return be.vector(v.length, i -> f.fromDecimal(v[i]));
  }

  /** A short description: "MA TF 4-3-2". */
  public String describe() {
    StringBuilder sb = new StringBuilder(model + " " + feedback + " ");
    for (int k = 0; k < layers.length; k++) {
      sb.append(k == 0 ? "" : "-").append(layers[k]);
    }
    if (model == ModelKind.MB && depth() > 1) {
      sb.append(" (ghosts");
      for (int k = 1; k < depth(); k++) {
        sb.append(' ').append(ghosts(k));
      }
      sb.append(')');
    }
    return sb.toString();
  }

  // ---- writing (the golden-vector generator) ----

  /**
   * The file as JSON. A number with at most 17 significant digits is written as a JSON number
   * (the generator's weights are short binary fractions, exact in double and in decimal); a longer
   * one as a decimal string, which keeps every digit.
   */
  public ObjectNode toJson(@Nullable String name) {
    JsonNodeFactory nf = JsonNodeFactory.withExactBigDecimals(true);
    ObjectNode o = nf.objectNode();
    o.put("format", Schema.NETWORK_FORMAT);
    if (name != null) {
      o.put("name", name);
    }
    o.put("model", model.name());
    o.put("feedback", feedback.name());
    o.put("activation", "sigmoid");
    o.put("cost", "mse");
    ArrayNode l = o.putArray("layers");
    for (int v : layers) {
      l.add(v);
    }
    o.set("W", matrices(nf, w));
    if (b != null) {
      o.set("B", matrices(nf, b));
    }
    if (gamma != null) {
      o.set("Gamma", matrices(nf, gamma));
    }
    if (omega != null) {
      o.set("Omega", matrices(nf, omega));
    }
    o.set("x", row(nf, x));
    o.set("y", row(nf, y));
    return o;
  }

  private static ArrayNode matrices(JsonNodeFactory nf, List<BigDecimal[][]> ms) {
    ArrayNode a = nf.arrayNode();
    for (BigDecimal[][] m : ms) {
      ArrayNode rows = a.addArray();
      for (BigDecimal[] r : m) {
        rows.add(row(nf, r));
      }
    }
    return a;
  }

  private static ArrayNode row(JsonNodeFactory nf, BigDecimal[] r) {
    ArrayNode a = nf.arrayNode();
    for (BigDecimal v : r) {
      if (v.stripTrailingZeros().precision() <= 17) {
        a.add(v);
      } else {
        a.add(v.toString());
      }
    }
    return a;
  }
}
