package ghostunits.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistTest {
  @Test
  void readsTheSharedFilesWithTheirPublishedSizes() {
    Mnist m = Mnist.open(Mnist.defaultDir());
    Mnist.Split test = m.test();
    assertThat(test.size()).isEqualTo(10_000);
    assertThat(test.images()[0]).hasSize(784);
    // The first test image is a 7 (label file), and pixels lie in [0, 1] with both ends present.
    assertThat(test.labels()[0]).isEqualTo(7);
    double min = 1;
    double max = 0;
    for (double v : test.images()[0]) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    assertThat(min).isEqualTo(0.0);
    assertThat(max).isEqualTo(1.0);
    assertThat(m.paperTrain().size()).isEqualTo(55_000);
    assertThat(m.train().labels()[0]).isEqualTo(5);
  }

  @Test
  void aMissingFolderNamesTheFile(@TempDir Path dir) {
    assertThatThrownBy(() -> Mnist.open(dir)).isInstanceOf(DataException.class)
        .hasMessageContaining("train-images-idx3-ubyte.gz").hasMessageContaining("missing");
  }

  @Test
  void aCorruptFileFailsItsMd5(@TempDir Path dir) throws IOException {
    for (Mnist.File f : Mnist.File.values()) {
      Files.copy(Mnist.defaultDir().resolve(f.fileName), dir.resolve(f.fileName));
    }
    byte[] bytes = Files.readAllBytes(dir.resolve("t10k-labels-idx1-ubyte.gz"));
    bytes[bytes.length / 2] ^= 1;
    Files.write(dir.resolve("t10k-labels-idx1-ubyte.gz"), bytes);
    assertThatThrownBy(() -> Mnist.open(dir)).isInstanceOf(DataException.class)
        .hasMessageContaining("t10k-labels-idx1-ubyte.gz").hasMessageContaining("md5");
  }

  @Test
  void wrongMagicAndTruncationAreNamed(@TempDir Path dir) throws IOException {
    Mnist m = Mnist.openUnchecked(dir);
    writeGz(dir.resolve(Mnist.File.TEST_LABELS.fileName), out -> {
      out.writeInt(2051);
      out.writeInt(10_000);
    });
    assertThatThrownBy(() -> m.labels(Mnist.File.TEST_LABELS)).isInstanceOf(DataException.class)
        .hasMessageContaining("magic number is 2051, expected 2049");
    writeGz(dir.resolve(Mnist.File.TEST_LABELS.fileName), out -> {
      out.writeInt(2049);
      out.writeInt(10_000);
      out.write(new byte[100]);
    });
    assertThatThrownBy(() -> m.labels(Mnist.File.TEST_LABELS)).isInstanceOf(DataException.class)
        .hasMessageContaining("truncated");
    writeGz(dir.resolve(Mnist.File.TEST_LABELS.fileName), out -> {
      out.writeInt(2049);
      out.writeInt(10_000);
      byte[] labels = new byte[10_000];
      labels[3] = 12;
      out.write(labels);
    });
    assertThatThrownBy(() -> m.labels(Mnist.File.TEST_LABELS)).isInstanceOf(DataException.class)
        .hasMessageContaining("label 3 is 12");
  }

  private interface Writer {
    void write(DataOutputStream out) throws IOException;
  }

  private static void writeGz(Path p, Writer w) throws IOException {
    try (OutputStream raw = Files.newOutputStream(p);
        DataOutputStream out = new DataOutputStream(new GZIPOutputStream(raw))) {
      w.write(out);
    }
  }
}
