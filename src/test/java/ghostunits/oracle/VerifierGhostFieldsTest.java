package ghostunits.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/**
 * The ghost fields (free.g, nudged.g) are required exactly when the network has hidden layers.
 * brokenCandidateNeverPasses reaches "a ghost field missing" only on some of its random draws
 * (PIT's session-23 run left the n == 1 test's negation alive); these two cases pin both sides.
 */
class VerifierGhostFieldsTest {
  private static final Verifier.Options TIGHT =
      new Verifier.Options(new BigDecimal("1e-10"), new BigDecimal("1e-12"), 30, null, null, null);

  private static NetworkFile network(String name) throws Exception {
    GoldenSuite.Case c = GoldenSuite.cases(false).stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
    byte[] bytes = MalformedInputProperties.networkBytes(c);
    return NetworkFile.parse(JsonIn.parse(bytes, MalformedInputProperties.SOURCE), MalformedInputProperties.SOURCE, null);
  }

  @Test
  void aMissingGhostFieldFailsWhenThereAreHiddenLayers() throws Exception {
    NetworkFile net = network("mb-tf-4-5-3");
    ObjectNode candidate = MalformedInputProperties.referenceAsCandidate(net);
    ((ObjectNode) candidate.get("free")).remove("g");
    Verifier.Report report = Verifier.verify(net, candidate, "cand.json", TIGHT);
    assertThat(report.passed()).isFalse();
    assertThat(report.failures()).singleElement().satisfies(l -> {
      assertThat(l.field()).isEqualTo("free.g");
      assertThat(l.note()).contains("missing");
    });
  }

  @Test
  void aOneLayerNetworkNeedsNoGhostFields() throws Exception {
    NetworkFile net = network("ma-tf-3-2");
    assertThat(net.depth()).isEqualTo(1);
    ObjectNode candidate = MalformedInputProperties.referenceAsCandidate(net);
    ((ObjectNode) candidate.get("free")).remove("g");
    ((ObjectNode) candidate.get("nudged")).remove("g");
    Verifier.Report report = Verifier.verify(net, candidate, "cand.json", TIGHT);
    assertThat(report.failures()).isEmpty();
    assertThat(report.passed()).isTrue();
  }
}
