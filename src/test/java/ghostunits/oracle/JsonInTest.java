package ghostunits.oracle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import ghostunits.numeric.NonFiniteValueException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * What {@link JsonIn}'s refusals say about the value they refuse, and where its documented limits
 * lie (on the limit accepted, one past it refused). The verify command's users read these messages
 * to find the bad entry in their own file, so each kind of JSON value is named as it is.
 */
class JsonInTest {
  private static JsonNode json(String text) {
    return JsonIn.parse(text.getBytes(StandardCharsets.UTF_8), "t.json");
  }

  @Test
  void aWrongValueIsNamedByItsKindAndContent() {
    JsonNode v = json("[{\"a\": 1}, [1, 2], \"abc\", null, true, false, 2.5]");
    assertThatThrownBy(() -> JsonIn.text(v.get(0), "t.json: x")).isInstanceOf(FormatException.class)
        .hasMessage("t.json: x: expected a string, got an object");
    assertThatThrownBy(() -> JsonIn.object(v.get(1), "t.json: x"))
        .hasMessage("t.json: x: expected a JSON object, got a list of 2");
    assertThatThrownBy(() -> JsonIn.array(v.get(2), "t.json: x", -1, ""))
        .hasMessage("t.json: x: expected a list, got the string \"abc\"");
    assertThatThrownBy(() -> JsonIn.decimal(v.get(3), "t.json: x"))
        .hasMessage("t.json: x: expected a number, got null");
    assertThatThrownBy(() -> JsonIn.decimal(v.get(4), "t.json: x"))
        .hasMessage("t.json: x: expected a number, got boolean true");
    assertThatThrownBy(() -> JsonIn.decimal(v.get(5), "t.json: x"))
        .hasMessage("t.json: x: expected a number, got boolean false");
    assertThatThrownBy(() -> JsonIn.text(v.get(6), "t.json: x"))
        .hasMessage("t.json: x: expected a string, got number 2.5");
    // A top-level null is a value too, not a missing root.
    assertThatThrownBy(() -> JsonIn.object(json("null"), "t.json"))
        .hasMessage("t.json: expected a JSON object, got null");
  }

  @Test
  void longTextIsCutAtFortyCharacters() {
    String forty = "x".repeat(40);
    assertThat(JsonIn.abbreviate(forty)).isEqualTo(forty);
    assertThat(JsonIn.abbreviate(forty + "y")).isEqualTo("x".repeat(37) + "...");
    assertThatThrownBy(() -> JsonIn.decimal(json("\"" + forty + "y\""), "t.json: x"))
        .hasMessage("t.json: x: \"" + "x".repeat(37) + "...\" is not a decimal number");
  }

  @Test
  void decimalStringsUpTo10000CharactersAndMagnitudesUpTo1e100AreRead() {
    String longest = "0." + "0".repeat(9_997) + "1";
    assertThat(longest).hasSize(10_000);
    assertThat(JsonIn.decimal(json("\"" + longest + "\""), "t.json: x")).isEqualByComparingTo(new BigDecimal(longest));
    assertThatThrownBy(() -> JsonIn.decimal(json("\"" + longest + "0\""), "t.json: x"))
        .isInstanceOf(FormatException.class)
        .hasMessage("t.json: x: a decimal string of 10001 characters (at most 10000)");

    assertThat(JsonIn.decimal(json("1e100"), "t.json: x")).isEqualByComparingTo("1e100");
    assertThat(JsonIn.decimal(json("\"-1e100\""), "t.json: x")).isEqualByComparingTo("-1e100");
    assertThatThrownBy(() -> JsonIn.decimal(json("1.0000000001e100"), "t.json: x"))
        .isInstanceOf(FormatException.class)
        .hasMessage("t.json: x: 1.0000000001E+100 is outside the supported range |v| <= 1e100");
    assertThatThrownBy(() -> JsonIn.decimal(json("\"-inf\""), "t.json: x"))
        .isInstanceOf(NonFiniteValueException.class).hasMessage("t.json: x: \"-inf\" (a finite number is required)");
  }

  @Test
  void integersAreReadWithinTheirBoundsInclusive() {
    assertThat(JsonIn.integer(json("1"), "t.json: n", 1, 5)).isEqualTo(1);
    assertThat(JsonIn.integer(json("5"), "t.json: n", 1, 5)).isEqualTo(5);
    assertThatThrownBy(() -> JsonIn.integer(json("0"), "t.json: n", 1, 5)).isInstanceOf(FormatException.class)
        .hasMessage("t.json: n: 0 is outside 1..5");
    assertThatThrownBy(() -> JsonIn.integer(json("6"), "t.json: n", 1, 5)).hasMessage("t.json: n: 6 is outside 1..5");
    assertThatThrownBy(() -> JsonIn.integer(json("2.5"), "t.json: n", 1, 5))
        .hasMessage("t.json: n: expected an integer in 1..5, got 2.5");
  }

  @Test
  void anArrayOfTheWrongLengthSaysWhatTheLengthMeans() {
    assertThat(JsonIn.array(json("[]"), "t.json: x", 0, "units")).isEmpty();
    assertThatThrownBy(() -> JsonIn.array(json("[1]"), "t.json: x", 0, "units")).isInstanceOf(ShapeException.class)
        .hasMessage("t.json: x: expected 0 entries (units), got 1");
    assertThat(JsonIn.array(json("[1, 2]"), "t.json: x", -1, "units")).hasSize(2);
  }

  /** A gzip stream is recognised by its two magic bytes alone, so a broken one is reported as such. */
  @Test
  void aBrokenGzipFileIsReportedAsGzip() throws IOException {
    assertThatThrownBy(() -> JsonIn.parse(new byte[] {0x1f, (byte) 0x8b}, "t.json.gz"))
        .isInstanceOf(FormatException.class)
        .hasMessageStartingWith("t.json.gz: cannot be read as gzip-compressed JSON: ");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write("{\"a\": [1, 2, 3]}".getBytes(StandardCharsets.UTF_8));
    }
    byte[] whole = bytes.toByteArray();
    assertThat(JsonIn.parse(whole, "t.json.gz").get("a")).hasSize(3);
    byte[] cut = Arrays.copyOf(whole, whole.length - 12);
    assertThatThrownBy(() -> JsonIn.parse(cut, "t.json.gz"))
        .isInstanceOf(FormatException.class)
        .hasMessageStartingWith("t.json.gz: cannot be read as gzip-compressed JSON: ");
    // One byte 0x1f alone is not gzip: read (and refused) as JSON.
    assertThatThrownBy(() -> JsonIn.parse(new byte[] {0x1f}, "t.json"))
        .isInstanceOf(FormatException.class).hasMessageStartingWith("t.json: not valid JSON at line 1");
  }
}
