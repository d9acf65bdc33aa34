package ghostunits.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The one-line description that result files, the golden index and verify's report carry
 * ("MA TF 4-3-2"; Model B adds its ghosts per hidden layer), for every small golden case.
 */
class NetworkFileDescribeTest {
  @Test
  void describesModelFeedbackWidthsAndModelBGhosts() throws Exception {
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("ma-tf-3-2", "MA TF 3-2");
    expected.put("ma-tf-4-3-3-2", "MA TF 4-3-3-2");
    expected.put("ma-tf-4-3-3", "MA TF 4-3-3");
    expected.put("ma-fa-5-4-3", "MA FA 5-4-3");
    expected.put("ma-tf-4-4-3-3-2", "MA TF 4-4-3-3-2");
    expected.put("ma-tf-ghosts-4-3-2", "MA TF 4-3-2");
    expected.put("mb-tf-4-5-3", "MB TF 4-5-3 (ghosts 2)");
    expected.put("mb-fa-4-4-3-2", "MB FA 4-4-3-2 (ghosts 2 1)");
    for (GoldenSuite.Case c : GoldenSuite.cases(false)) {
      assertThat(GoldenSuite.build(c, null).describe()).as(c.name()).isEqualTo(expected.get(c.name()));
    }
    assertThat(GoldenSuite.cases(false)).hasSize(expected.size());
  }
}
