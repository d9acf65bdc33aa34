package ghostunits.oracle;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import ghostunits.numeric.NonFiniteValueException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Reading the oracle's JSON files, strictly, with every problem reported as a typed exception
 * that names the file, the field (layer, index) and what is wrong.
 *
 * <p>Numbers: a JSON number is taken as the exact decimal it spells (0.1 is 1/10, not the double
 * nearest to it); a string holding a decimal number ("1.25e-3") likewise. NaN and infinities
 * (the bare tokens Python's json module writes, or strings such as "NaN", "inf") are read so
 * that they can be reported as non-finite values by name, never as a parse error elsewhere.
 * Files whose first bytes are the gzip magic number are decompressed.
 */
public final class JsonIn {
  private JsonIn() {}

  /** Largest magnitude accepted for a number (beyond it the double Jacobian overflows). */
  public static final BigDecimal MAX_MAGNITUDE = new BigDecimal("1e100");

  private static final JsonFactory FACTORY = JsonFactory.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();

  private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

  private static final Set<String> NON_FINITE = Set.of(
      "nan", "+nan", "-nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity");

  /** A parsed file: its root, and the SHA-256 of its bytes as stored (before gunzip). */
  public record Parsed(JsonNode root, String sha256) {}

  public static Parsed read(Path path) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      throw new OracleInputException(path + ": no such file");
    } catch (IOException e) {
      throw new OracleInputException(path + ": cannot read: " + e.getMessage(), e);
    }
    return new Parsed(parse(bytes, path.toString()), sha256(bytes));
  }

  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** Parses JSON (gzip-compressed or not); {@code source} names it in messages. */
  public static JsonNode parse(byte[] bytes, String source) {
    boolean gzip = bytes.length >= 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b;
    try (InputStream raw = new ByteArrayInputStream(bytes);
        InputStream in = gzip ? new GZIPInputStream(raw, 1 << 16) : raw;
        JsonParser p = FACTORY.createParser(in)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        throw new FormatException(source + ": empty file, expected a JSON object");
      }
      JsonNode root = value(p, first);
      JsonToken extra = p.nextToken();
      if (extra != null) {
        throw new FormatException(source + ": not valid JSON: unexpected " + extra.asString() + " after the end of the"
            + " top-level value" + where(p.currentLocation()));
      }
      return root;
    } catch (JsonProcessingException e) {
      throw new FormatException(source + ": not valid JSON" + where(e.getLocation()) + ": " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      // Truncated or corrupt gzip streams end up here.
      throw new FormatException(source + ": cannot be read as " + (gzip ? "gzip-compressed " : "") + "JSON: "
          + e.getMessage(), e);
    }
  }

  private static String where(@Nullable JsonLocation loc) {
    return loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
  }

  /** Builds the tree by hand so that every float is an exact BigDecimal and NaN stays visible. */
  private static JsonNode value(JsonParser p, JsonToken t) throws IOException {
    switch (t) {
      case START_OBJECT: {
        ObjectNode o = NODES.objectNode();
        for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
          String name = p.currentName();
          JsonToken v = p.nextToken();
          if (name == null || v == null) {
            throw new IOException("unexpected end of input inside an object");
          }
          o.set(name, value(p, v));
        }
        return o;
      }
      case START_ARRAY: {
        ArrayNode a = NODES.arrayNode();
        for (JsonToken v = p.nextToken(); v != JsonToken.END_ARRAY; v = p.nextToken()) {
          if (v == null) {
            throw new IOException("unexpected end of input inside an array");
          }
          a.add(value(p, v));
        }
        return a;
      }
      case VALUE_STRING:
        return NODES.textNode(p.getText());
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        try {
          if (t == JsonToken.VALUE_NUMBER_INT) {
            return NODES.numberNode(p.getBigIntegerValue());
          }
          return p.isNaN() ? NODES.numberNode(p.getDoubleValue()) : NODES.numberNode(p.getDecimalValue());
        } catch (NumberFormatException e) {
          // e.g. 0.4e5654296875: an exponent beyond any decimal.
          throw new JsonParseException(p, "the number " + abbreviate(p.getText()) + " is out of range", e);
        }
      case VALUE_TRUE:
        return NODES.booleanNode(true);
      case VALUE_FALSE:
        return NODES.booleanNode(false);
      case VALUE_NULL:
        return NODES.nullNode();
      default:
        throw new IOException("unexpected token " + t);
    }
  }

  // ---- typed access; "where" is e.g. "net.json: W^2[1]" ----

  public static ObjectNode object(JsonNode n, String where) {
    if (!(n instanceof ObjectNode)) {
      throw new FormatException(where + ": expected a JSON object, got " + describe(n));
    }
    return (ObjectNode) n;
  }

  public static JsonNode required(ObjectNode o, String key, String where) {
    JsonNode n = o.get(key);
    if (n == null || n.isNull()) {
      throw new FormatException(where + ": missing field \"" + key + "\"");
    }
    return n;
  }

  public static @Nullable JsonNode optional(ObjectNode o, String key) {
    JsonNode n = o.get(key);
    return n == null || n.isNull() ? null : n;
  }

  public static String text(JsonNode n, String where) {
    if (!n.isTextual()) {
      throw new FormatException(where + ": expected a string, got " + describe(n));
    }
    return n.asText();
  }

  /** The elements of an array, which must have {@code size} of them (size < 0: any). */
  public static List<JsonNode> array(JsonNode n, String where, int size, String sizeMeaning) {
    if (!n.isArray()) {
      throw new FormatException(where + ": expected a list, got " + describe(n));
    }
    if (size >= 0 && n.size() != size) {
      throw new ShapeException(where + ": expected " + size + " entries (" + sizeMeaning + "), got " + n.size());
    }
    List<JsonNode> out = new ArrayList<>(n.size());
    n.forEach(out::add);
    return out;
  }

  public static int integer(JsonNode n, String where, int min, int max) {
    BigDecimal d = decimal(n, where);
    try {
      int v = d.intValueExact();
      if (v < min || v > max) {
        throw new FormatException(where + ": " + v + " is outside " + min + ".." + max);
      }
      return v;
    } catch (ArithmeticException e) {
      throw new FormatException(where + ": expected an integer in " + min + ".." + max + ", got " + d.toPlainString());
    }
  }

  /** A finite decimal number, from a JSON number or a decimal string. */
  public static BigDecimal decimal(JsonNode n, String where) {
    if (n.isNumber()) {
      if (n.isDouble() || n.isFloat()) {
        double d = n.doubleValue();
        if (!Double.isFinite(d)) {
          throw new NonFiniteValueException(where + ": " + d + " (a finite number is required)");
        }
        return inRange(new BigDecimal(d), where);
      }
      if (n.isBigInteger() || n.isInt() || n.isLong()) {
        BigInteger i = n.bigIntegerValue();
        return inRange(new BigDecimal(i), where);
      }
      return inRange(n.decimalValue(), where);
    }
    if (n.isTextual()) {
      String s = n.asText();
      String lower = s.trim().toLowerCase(Locale.ROOT);
      if (NON_FINITE.contains(lower)) {
        throw new NonFiniteValueException(where + ": \"" + s + "\" (a finite number is required)");
      }
      if (s.length() > 10_000) {
        throw new FormatException(where + ": a decimal string of " + s.length() + " characters (at most 10000)");
      }
      try {
        return inRange(new BigDecimal(s), where);
      } catch (NumberFormatException e) {
        throw new FormatException(where + ": \"" + abbreviate(s) + "\" is not a decimal number");
      }
    }
    throw new FormatException(where + ": expected a number, got " + describe(n));
  }

  private static BigDecimal inRange(BigDecimal d, String where) {
    if (d.abs().compareTo(MAX_MAGNITUDE) > 0) {
      throw new FormatException(where + ": " + abbreviate(d.toString()) + " is outside the supported range |v| <= 1e100");
    }
    return d;
  }

  public static BigDecimal[] vector(JsonNode n, String where, int length, String lengthMeaning) {
    List<JsonNode> items = array(n, where, length, lengthMeaning);
    BigDecimal[] v = new BigDecimal[items.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = decimal(items.get(i), where + "[" + i + "]");
    }
    return v;
  }

  /** A matrix as a list of rows: rows x cols. */
  public static BigDecimal[][] matrix(JsonNode n, String where, int rows, int cols, String rowMeaning,
      String colMeaning) {
    List<JsonNode> items = array(n, where, rows, rowMeaning);
    BigDecimal[][] m = new BigDecimal[items.size()][];
    for (int i = 0; i < m.length; i++) {
      m[i] = vector(items.get(i), where + "[" + i + "]", cols, colMeaning);
    }
    return m;
  }

  static String describe(JsonNode n) {
    if (n.isObject()) {
      return "an object";
    }
    if (n.isArray()) {
      return "a list of " + n.size();
    }
    if (n.isTextual()) {
      return "the string \"" + abbreviate(n.asText()) + "\"";
    }
    if (n.isNull()) {
      return "null";
    }
    return n.getNodeType().toString().toLowerCase(Locale.ROOT) + " " + abbreviate(n.toString());
  }

  static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 37) + "...";
  }
}
