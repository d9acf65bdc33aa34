package ghostunits.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import ghostunits.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The three commands as a user runs them (README): exit status, files written, report lines. */
class OracleCommandTest {
  static final Path NET = Path.of("vectors/ma-tf-4-3-3.network.json");
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  CliRun run(String... args) {
    return CliRun.of(args);
  }

  @Test
  void evalWritesEveryBlockWithItsCertificate() throws Exception {
    Path out = dir.resolve("result.json");
    CliRun r = run("oracle", "eval", "--network", NET.toString(), "--beta", "0.001",
        "--symmetric", "--eta-w", "0.5", "--out", out.toString());
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out()).contains("certified digits").contains("wrote " + out);
    JsonNode res = JSON.readTree(out.toFile());
    assertThat(res.get("format").asText()).isEqualTo("ghost-units/result@1");
    assertThat(res.get("eta_W").asText()).isEqualTo("0.5");
    for (String block : List.of("free", "nudged", "nudged_negative", "mlp", "backprop", "estimate", "update",
        "linear_response")) {
      assertThat(res.has(block)).as(block).isTrue();
      assertThat(res.get(block).get("certified").get("digits").asInt()).as(block).isGreaterThanOrEqualTo(40);
    }
    assertThat(res.get("estimate").has("symmetric_e_over_beta")).isTrue();
    assertThat(res.has("feedback_alignment")).as("only under FA").isFalse();
    // Every value a decimal string; dW^1 is 3 x 4 (W^1's shape).
    JsonNode dw1 = res.get("backprop").get("dW").get(0);
    assertThat(dw1.size()).isEqualTo(3);
    assertThat(dw1.get(0).size()).isEqualTo(4);
    assertThat(dw1.get(0).get(0).isTextual()).isTrue();
  }

  @Test
  void aResultFileVerifiesAsItsOwnCandidateAndATamperedOneFails() throws Exception {
    Path out = dir.resolve("result.json");
    assertThat(run("oracle", "eval", "--network", NET.toString(), "--beta", "0.001", "--symmetric", "--out",
        out.toString()).status()).isZero();
    CliRun ok = run("oracle", "verify", "--network", NET.toString(), "--candidate",
        out.toString(), "--rtol", "1e-40", "--atol", "1e-44");
    assertThat(ok.status()).as(ok.out() + ok.err()).isZero();
    assertThat(ok.out()).contains("PASS:").doesNotContain(" FAIL");

    ObjectNode tampered = (ObjectNode) JSON.readTree(out.toFile());
    ArrayNode layer = (ArrayNode) tampered.get("linear_response").get("eps").get(1);
    layer.set(0, layer.get(0).asText().startsWith("-") ? layer.get(0).asText().substring(1) : "-" + layer.get(0).asText());
    Path bad = dir.resolve("tampered.json");
    JSON.writeValue(bad.toFile(), tampered);
    CliRun fail = run("oracle", "verify", "--network", NET.toString(), "--candidate",
        bad.toString());
    assertThat(fail.status()).isEqualTo(1);
    assertThat(fail.out()).containsPattern("(?m)^linear_response\\.eps +2 .* FAIL").contains("FAIL: 1 of");
  }

  @Test
  void aCandidateWithoutTheRequiredFieldsFailsNamingThem() throws Exception {
    Path cand = dir.resolve("cand.json");
    Files.writeString(cand, "{\"format\": \"ghost-units/result@1\", \"beta\": 0.001, \"mlp\": {\"s\": [[0,0,0],[0,0,0]]}}");
    CliRun r = run("oracle", "verify", "--network", NET.toString(), "--candidate", cand.toString());
    assertThat(r.status()).isEqualTo(1);
    assertThat(r.out()).containsPattern("(?m)^nudged\\.e .* FAIL  missing").containsPattern("(?m)^mlp\\.s +1 .* FAIL");
  }

  @Test
  void inputErrorsExitWithStatusTwoAndOneLine() throws Exception {
    Path cand = dir.resolve("cand.json");
    Files.writeString(cand, "{\"format\": \"ghost-units/result@7\"}");
    CliRun version = run("oracle", "verify", "--network", NET.toString(), "--candidate",
        cand.toString());
    assertThat(version.status()).isEqualTo(2);
    assertThat(version.err()).startsWith("error: " + cand + ": format").contains("unknown version");

    CliRun missing = run("oracle", "eval", "--network", dir.resolve("none.json").toString(),
        "--beta", "0.1", "--out", dir.resolve("o.json").toString());
    assertThat(missing.status()).isEqualTo(2);
    assertThat(missing.err().strip()).isEqualTo("error: " + dir.resolve("none.json") + ": no such file");

    CliRun nan = run("oracle", "eval", "--network", NET.toString(), "--beta", "NaN", "--out",
        dir.resolve("o.json").toString());
    assertThat(nan.status()).isEqualTo(2);
    assertThat(nan.err()).startsWith("error: --beta NaN");

    CliRun noBeta = run("oracle", "eval", "--network", NET.toString(), "--out",
        dir.resolve("o.json").toString());
    assertThat(noBeta.status()).isEqualTo(2);
    assertThat(noBeta.err()).startsWith("error: no beta given");
  }

  @Test
  void aSolverThatDoesNotConvergeIsAnErrorNotAResult() {
    Path out = dir.resolve("o.json");
    CliRun r = run("oracle", "eval", "--network",
        "src/test/resources/oracle/no-equilibrium.network.json", "--beta", "0.5", "--digits", "30", "--out",
        out.toString());
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err().strip()).startsWith("error: free phase: Newton").doesNotContain("\n").doesNotContain("\tat ");
    assertThat(out).doesNotExist();
  }

  @Test
  void vectorsRegeneratesTheCommittedNetworks() throws Exception {
    Path out = dir.resolve("suite");
    CliRun r = run("oracle", "vectors", "--out", out.toString(), "--skip-large", "--digits", "30");
    assertThat(r.status()).as(r.err()).isZero();
    for (GoldenSuite.Case c : GoldenSuite.cases(false)) {
      assertThat(Files.readAllBytes(out.resolve(GoldenSuite.networkFile(c))))
          .as(c.name()).isEqualTo(Files.readAllBytes(Path.of("vectors").resolve(GoldenSuite.networkFile(c))));
      for (String beta : c.betas()) {
        // The same fields as the committed result: all but "update", and feedback_alignment only under FA.
        String name = GoldenSuite.resultFile(c, beta);
        assertThat(GoldenVectorsTest.fieldsIn(JsonIn.read(out.resolve(name)).root())).as(name)
            .isEqualTo(GoldenVectorsTest.fieldsIn(JsonIn.read(GoldenVectorsTest.DIR.resolve(name)).root()))
            .contains(Schema.field("free", "s")).doesNotContain(Schema.field("update", "dW"));
      }
    }
    assertThat(out.resolve("index.json")).exists();
  }

  @Test
  void helpListsTheOracleCommands() {
    CliRun r = run("oracle", "--help");
    assertThat(r.status()).isZero();
    assertThat(r.out()).contains("eval").contains("verify").contains("vectors");
  }
}
