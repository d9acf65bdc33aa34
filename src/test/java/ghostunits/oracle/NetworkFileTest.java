package ghostunits.oracle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import ghostunits.model.Feedback;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The network file's rules that the golden files do not exercise: what is refused (by name), what
 * is optional and its default, the ghost-count limit at its edge, and exact numbers when written.
 * The malformed-input properties accept "a result or a typed error"; these pin which one.
 */
class NetworkFileTest {
  private static final Path VECTORS = Path.of("vectors");

  /** A committed golden network file as a JSON tree, to be edited. */
  private static ObjectNode golden(String name) {
    return (ObjectNode) JsonIn.read(VECTORS.resolve(name + ".network.json")).root().deepCopy();
  }

  private static NetworkFile parse(JsonNode root) {
    return NetworkFile.parse(root, "n.json", null);
  }

  @Test
  void unknownFieldsAndOtherFormatsAreRefusedByName() {
    ObjectNode extra = golden("ma-tf-3-2");
    extra.put("bias", 0);
    assertThatThrownBy(() -> parse(extra)).isInstanceOf(FormatException.class)
        .hasMessageStartingWith("n.json: unknown field \"bias\" (fields: ");
    ObjectNode later = golden("ma-tf-3-2");
    later.put("format", "ghost-units/network@2");
    assertThatThrownBy(() -> parse(later)).isInstanceOf(UnsupportedFormatException.class)
        .hasMessage("n.json: format \"ghost-units/network@2\" is not supported (unknown version; this oracle reads "
            + Schema.NETWORK_FORMAT + ")");
    ObjectNode other = golden("ma-tf-3-2");
    other.put("format", "onnx");
    assertThatThrownBy(() -> parse(other)).isInstanceOf(UnsupportedFormatException.class)
        .hasMessage("n.json: format \"onnx\" is not supported (expected " + Schema.NETWORK_FORMAT + ")");
  }

  /** B, Gamma and Omega may be left out where they have a default; where they have none, the refusal says which. */
  @Test
  void whatMayBeLeftOutAndWhatMayNot() {
    // Model A with TF: B = (W^{k+1})^T and converged ghosts, one per unit of layer k + 1.
    NetworkFile ma = parse(golden("ma-tf-4-3-3-2"));
    assertThat(ma.b()).isNull();
    assertThat(ma.gamma()).isNull();
    assertThat(ma.ghosts(1)).isEqualTo(3);
    assertThat(ma.ghosts(2)).isEqualTo(2);

    ObjectNode fa = golden("ma-fa-5-4-3");
    fa.remove("B");
    assertThatThrownBy(() -> parse(fa)).isInstanceOf(FormatException.class)
        .hasMessage("n.json: feedback FA needs its fixed feedback weights \"B\" (B^k for k = 1..1)");

    ObjectNode mb = golden("mb-tf-4-5-3");
    mb.remove("Gamma");
    assertThatThrownBy(() -> parse(mb)).isInstanceOf(FormatException.class)
        .hasMessage("n.json: model MB needs \"Gamma\" and \"Omega\" (Model A's converged ghosts are the default only"
            + " for model MA)");
    // Without a hidden layer Model B has no ghosts to give.
    ObjectNode single = golden("ma-tf-3-2");
    single.put("model", "MB");
    NetworkFile mbSingle = parse(single);
    assertThat(mbSingle.model()).isEqualTo(NetworkFile.ModelKind.MB);
    assertThat(mbSingle.describe()).isEqualTo("MB TF 3-2");
  }

  /** Model B's Gamma^k has 1..MAX_WIDTH rows (ghost units): the limit is accepted, one more is not. */
  @Test
  void modelBGhostCountsRunFromOneToTheWidthLimit() {
    assertThat(parse(mbWithGhosts(NetworkFile.MAX_WIDTH)).ghosts(1)).isEqualTo(NetworkFile.MAX_WIDTH);
    assertThatThrownBy(() -> parse(mbWithGhosts(NetworkFile.MAX_WIDTH + 1))).isInstanceOf(ShapeException.class)
        .hasMessage("n.json: Gamma^1: layer 1 needs 1..100000 ghost units (rows), got 100001");
    assertThatThrownBy(() -> parse(mbWithGhosts(0))).isInstanceOf(ShapeException.class)
        .hasMessage("n.json: Gamma^1: layer 1 needs 1..100000 ghost units (rows), got 0");
  }

  /** An MB 1-1-1 network whose hidden layer has {@code m} ghosts (Gamma m x 1, Omega 1 x m). */
  private static ObjectNode mbWithGhosts(int m) {
    JsonNodeFactory nf = JsonNodeFactory.instance;
    ObjectNode o = golden("mb-tf-4-5-3");
    o.set("layers", nf.arrayNode().add(1).add(1).add(1));
    o.set("W", nf.arrayNode().add(nf.arrayNode().add(nf.arrayNode().add(0.5)))
        .add(nf.arrayNode().add(nf.arrayNode().add(-0.25))));
    ArrayNode gamma = nf.arrayNode();
    ArrayNode omegaRow = nf.arrayNode();
    for (int i = 0; i < m; i++) {
      gamma.add(nf.arrayNode().add(0.125));
      omegaRow.add(0.0625);
    }
    o.set("Gamma", nf.arrayNode().add(gamma));
    o.set("Omega", nf.arrayNode().add(nf.arrayNode().add(omegaRow)));
    o.set("x", nf.arrayNode().add(0.5));
    o.set("y", nf.arrayNode().add(0.75));
    return o;
  }

  /** Up to 17 significant digits a value is written as a JSON number, beyond as a string; both read back exactly. */
  @Test
  void writtenNumbersKeepEveryDigit() {
    BigDecimal seventeen = new BigDecimal("0.12345678901234567");
    BigDecimal eighteen = new BigDecimal("0.123456789012345678");
    BigDecimal[][] w1 = {{seventeen, eighteen}};
    NetworkFile net = new NetworkFile("n", null, NetworkFile.ModelKind.MA, Feedback.TF, new int[] {2, 1},
        List.<BigDecimal[][]>of(w1), null, null, null,
        new BigDecimal[] {BigDecimal.ONE, BigDecimal.ZERO}, new BigDecimal[] {new BigDecimal("0.5")});
    ObjectNode json = net.toJson("n");
    JsonNode row = json.get("W").get(0).get(0);
    assertThat(row.get(0).isNumber()).as("17 digits: a number").isTrue();
    assertThat(row.get(1).isTextual()).as("18 digits: a string").isTrue();
    NetworkFile back = parse(JsonIn.parse(json.toString().getBytes(StandardCharsets.UTF_8), "n.json"));
    assertThat(back.w().get(0)[0]).containsExactly(seventeen, eighteen);
  }
}
