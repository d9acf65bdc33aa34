package ghostunits.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `theorems --plots` and `floor --plot` write one PNG per theorem (a real PNG, not an empty file). */
class PlotOptionsTest {
  private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  private static void assertPng(Path file) throws Exception {
    assertThat(file).exists();
    byte[] bytes = Files.readAllBytes(file);
    assertThat(bytes.length).as("%s size", file).isGreaterThan(10_000);
    assertThat(Arrays.copyOf(bytes, 8)).as("%s magic", file).isEqualTo(PNG_MAGIC);
  }

  @Test
  void theoremsWritesOnePlotPerTheorem(@TempDir Path dir) throws Exception {
    assertThat(Main.execute("theorems", "--widths", "4,3,2", "--digits", "40", "--plots", dir.toString())).isZero();
    for (String id : new String[] {"T1", "C1-rate-difference", "C1-first-order", "SYM", "C-FA",
        "T2c-linear-response", "T2c-backprop"}) {
      assertPng(dir.resolve(id + ".png"));
    }
  }

  @Test
  void floorWritesItsPlot(@TempDir Path dir) throws Exception {
    Path png = dir.resolve("sub/floor.png");
    assertThat(Main.execute("floor", "--widths", "4,3,2", "--digits", "40", "--plot", png.toString())).isZero();
    assertPng(png);
  }
}
