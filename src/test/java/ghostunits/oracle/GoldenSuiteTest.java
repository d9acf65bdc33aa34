package ghostunits.oracle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ghostunits.data.Mnist;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The large golden network, which only {@code oracle vectors} without {@code --skip-large} builds
 * (its evaluation takes minutes; building it takes a second): rebuilt from the MNIST test images,
 * it is the committed file byte for byte, so its input is the first test image and its label.
 */
class GoldenSuiteTest {
  @TempDir Path dir;

  private static GoldenSuite.Case large() {
    List<GoldenSuite.Case> all = GoldenSuite.cases(true);
    GoldenSuite.Case last = all.get(all.size() - 1);
    assertThat(last.large()).isTrue();
    return last;
  }

  private static byte[] gunzip(Path p) throws IOException {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(p))) {
      return in.readAllBytes();
    }
  }

  @Test
  void theLargeNetworkIsRebuiltFromTheMnistTestImages() throws Exception {
    GoldenSuite.Case c = large();
    Path images = Mnist.defaultDir().resolve("t10k-images-idx3-ubyte.gz");
    NetworkFile built = GoldenSuite.build(c, images);
    Path out = dir.resolve(GoldenSuite.networkFile(c));
    GoldenSuite.writeJson(built.toJson(c.name()), out);
    assertThat(gunzip(out)).isEqualTo(gunzip(GoldenVectorsTest.DIR.resolve(GoldenSuite.networkFile(c))));
    // Without the images the input is a seeded random one: a different network.
    NetworkFile random = GoldenSuite.build(c, null);
    assertThat(random.toJson(c.name())).isNotEqualTo(built.toJson(c.name()));
  }

  @Test
  void aFileThatIsNotAnImageFileIsRefusedByItsMagicNumber() {
    Path labels = Mnist.defaultDir().resolve("t10k-labels-idx1-ubyte.gz");
    assertThatThrownBy(() -> GoldenSuite.build(large(), labels))
        .isInstanceOf(OracleInputException.class)
        .hasMessage(labels + ": IDX magic number 2049, expected 2051");
  }

  /** Every committed result is named by its beta; a beta that is not a power of ten keeps all its digits. */
  @Test
  void resultFilesAreNamedByTheExactBeta() {
    for (GoldenSuite.Case c : GoldenSuite.cases(true)) {
      for (String beta : c.betas()) {
        assertThat(GoldenVectorsTest.DIR.resolve(GoldenSuite.resultFile(c, beta))).as("%s at %s", c.name(), beta)
            .exists();
      }
    }
    GoldenSuite.Case small = GoldenSuite.cases(false).get(0);
    assertThat(GoldenSuite.resultFile(small, "0.100")).isEqualTo(small.name() + ".beta-1e-1.result.json");
    assertThat(GoldenSuite.resultFile(small, "1E-15")).isEqualTo(small.name() + ".beta-1e-15.result.json");
    assertThat(GoldenSuite.resultFile(small, "10")).isEqualTo(small.name() + ".beta-1e1.result.json");
    // Rounded to one digit these two would share "3e-3".
    assertThat(GoldenSuite.resultFile(small, "0.0025")).isEqualTo(small.name() + ".beta-25e-4.result.json");
    assertThat(GoldenSuite.resultFile(small, "0.003")).isEqualTo(small.name() + ".beta-3e-3.result.json");
    assertThat(GoldenSuite.resultFile(large(), "0.001")).isEqualTo("mb-tf-784-500-10.beta-1e-3.result.json.gz");
  }
}
