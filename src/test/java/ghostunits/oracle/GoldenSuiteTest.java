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
}
