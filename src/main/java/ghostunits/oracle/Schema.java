package ghostunits.oracle;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The fields of a result file (ghost-units/result@1), in the order they are written. Every field
 * holds one value per layer: a vector (layers 1..N, or the hidden layers 1..N-1) or a matrix
 * (layers 1..N, the shape of W^k). specs/oracle-format.md documents each one.
 */
public final class Schema {
  private Schema() {}

  public static final String NETWORK_FORMAT = "ghost-units/network@1";
  public static final String RESULT_FORMAT = "ghost-units/result@1";
  public static final String SUITE_FORMAT = "ghost-units/vectors@1";

  /** A vector or a matrix per layer. */
  public enum Kind { VECTOR, MATRIX }

  /** Which layers a field has, and the length of its vectors. */
  public enum Range {
    /** Layers 1..N, vectors of length n_k (matrices n_k x n_{k-1}). */
    UNITS,
    /** Hidden layers 1..N-1, vectors of length m_k (one entry per ghost unit). */
    GHOSTS
  }

  /** One field: "block.name". */
  public record Field(String block, String name, Kind kind, Range range) {
    public String path() {
      return block + "." + name;
    }

    /** "nudged.e^2", "backprop.dW^1": the field at layer k, as messages name it. */
    public String at(int k) {
      return path() + "^" + k;
    }

    /** Needs the nudged phase, hence beta. */
    public boolean needsBeta() {
      return block.equals("nudged") || block.equals("nudged_negative") || block.equals("estimate")
          || block.equals("update");
    }

    /** Divides by beta: beta = 0 is an error. */
    public boolean dividesByBeta() {
      return block.equals("estimate") || block.equals("update");
    }
  }

  public static final List<Field> FIELDS = List.of(
      new Field("free", "s", Kind.VECTOR, Range.UNITS),
      new Field("free", "g", Kind.VECTOR, Range.GHOSTS),
      new Field("free", "e", Kind.VECTOR, Range.UNITS),
      new Field("nudged", "s", Kind.VECTOR, Range.UNITS),
      new Field("nudged", "g", Kind.VECTOR, Range.GHOSTS),
      new Field("nudged", "e", Kind.VECTOR, Range.UNITS),
      new Field("nudged_negative", "s", Kind.VECTOR, Range.UNITS),
      new Field("nudged_negative", "g", Kind.VECTOR, Range.GHOSTS),
      new Field("nudged_negative", "e", Kind.VECTOR, Range.UNITS),
      new Field("mlp", "s", Kind.VECTOR, Range.UNITS),
      new Field("mlp", "r", Kind.VECTOR, Range.UNITS),
      new Field("backprop", "delta", Kind.VECTOR, Range.UNITS),
      new Field("backprop", "dW", Kind.MATRIX, Range.UNITS),
      new Field("feedback_alignment", "delta", Kind.VECTOR, Range.UNITS),
      new Field("feedback_alignment", "dW", Kind.MATRIX, Range.UNITS),
      new Field("estimate", "e_over_beta", Kind.VECTOR, Range.UNITS),
      new Field("estimate", "symmetric_e_over_beta", Kind.VECTOR, Range.UNITS),
      new Field("estimate", "dW", Kind.MATRIX, Range.UNITS),
      new Field("estimate", "dW_first_order", Kind.MATRIX, Range.UNITS),
      new Field("update", "dW", Kind.MATRIX, Range.UNITS),
      new Field("update", "dW_first_order", Kind.MATRIX, Range.UNITS),
      new Field("linear_response", "xi", Kind.VECTOR, Range.UNITS),
      new Field("linear_response", "gamma", Kind.VECTOR, Range.GHOSTS),
      new Field("linear_response", "eps", Kind.VECTOR, Range.UNITS));

  /** The blocks, in order. */
  public static List<String> blocks() {
    Set<String> b = new LinkedHashSet<>();
    for (Field f : FIELDS) {
      b.add(f.block());
    }
    return new ArrayList<>(b);
  }

  public static @Nullable Field field(String block, String name) {
    for (Field f : FIELDS) {
      if (f.block().equals(block) && f.name().equals(name)) {
        return f;
      }
    }
    return null;
  }

  /** The fields of a block (empty if there is no such block). */
  public static List<Field> fieldsOf(String block) {
    List<Field> out = new ArrayList<>();
    for (Field f : FIELDS) {
      if (f.block().equals(block)) {
        out.add(f);
      }
    }
    return out;
  }

  /**
   * The minimum a candidate provides unless told otherwise (the contract of the issue): the
   * free and nudged equilibria, the MLP pass, backprop and the estimates.
   */
  public static final List<String> REQUIRED = List.of(
      "free.s", "free.g", "free.e", "nudged.s", "nudged.g", "nudged.e", "mlp.s", "mlp.r",
      "backprop.delta", "backprop.dW", "estimate.e_over_beta", "estimate.dW");

  /**
   * Fields named by a list of "block" or "block.field" entries.
   *
   * @throws OracleInputException naming an entry that is neither
   */
  public static List<Field> select(List<String> names, String where) {
    Set<Field> out = new LinkedHashSet<>();
    for (String raw : names) {
      String name = raw.trim();
      int dot = name.indexOf('.');
      if (dot < 0) {
        List<Field> fs = fieldsOf(name);
        if (fs.isEmpty()) {
          throw new OracleInputException(where + ": unknown block '" + name + "' (blocks: " + blocks() + ")");
        }
        out.addAll(fs);
      } else {
        Field f = field(name.substring(0, dot), name.substring(dot + 1));
        if (f == null) {
          throw new OracleInputException(where + ": unknown field '" + name + "'");
        }
        out.add(f);
      }
    }
    List<Field> ordered = new ArrayList<>();
    for (Field f : FIELDS) {
      if (out.contains(f)) {
        ordered.add(f);
      }
    }
    return Collections.unmodifiableList(ordered);
  }
}
