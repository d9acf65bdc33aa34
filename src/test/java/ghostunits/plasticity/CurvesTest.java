package ghostunits.plasticity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** metrics.csv: the format written, what is read back, and what is refused. */
class CurvesTest {
  private static final List<Curves.Row> ROWS = List.of(new Curves.Row(1, 87.6943, 0.123456, 88.5, 0.1, 47.25),
      new Curves.Row(2, 90.12345, 0.0987654, 91.0, 0.09, 3.0));

  @Test
  void writesTheDocumentedColumnsAndReadsThemBack(@TempDir Path dir) throws IOException {
    Path csv = dir.resolve("metrics.csv");
    Curves.write(csv, ROWS);
    assertThat(Files.readAllLines(csv, StandardCharsets.UTF_8)).containsExactly(
        "epoch,train_accuracy,train_mse,test_accuracy,test_mse,epoch_seconds",
        "1,87.6943,0.123456,88.5000,0.100000,47.3",
        "2,90.1235,0.098765,91.0000,0.090000,3.0");
    assertThat(Curves.read(csv)).containsExactly(new Curves.Row(1, 87.6943, 0.123456, 88.5, 0.1, 47.3),
        new Curves.Row(2, 90.1235, 0.098765, 91.0, 0.09, 3.0));
    assertThat(dir).isDirectoryNotContaining("glob:**.tmp");
    assertThat(Curves.read(dir.resolve("none.csv"))).isEmpty();
  }

  @Test
  void refusesAFileThatIsNotAMetricsFile(@TempDir Path dir) throws IOException {
    Path csv = dir.resolve("metrics.csv");
    Files.writeString(csv, "");
    assertThatThrownBy(() -> Curves.read(csv)).isInstanceOf(TrainingException.class)
        .hasMessage("metrics file " + csv + " does not start with the header " + Curves.HEADER + " (it is empty)");
    Files.writeString(csv, "epoch,acc\n1,2\n");
    assertThatThrownBy(() -> Curves.read(csv)).isInstanceOf(TrainingException.class)
        .hasMessage("metrics file " + csv + " does not start with the header " + Curves.HEADER
            + " (line 1 is \"epoch,acc\")");
    Files.writeString(csv, Curves.HEADER + "\n1,2,3,4,5,6\n2,2,3,4,5\n");
    assertThatThrownBy(() -> Curves.read(csv)).isInstanceOf(TrainingException.class)
        .hasMessage("metrics file " + csv + " line 3 has 5 fields, expected 6 (" + Curves.HEADER + ")");
    // A trailing comma is a seventh, empty field, not ignored.
    Files.writeString(csv, Curves.HEADER + "\n1,2,3,4,5,6,\n");
    assertThatThrownBy(() -> Curves.read(csv)).isInstanceOf(TrainingException.class)
        .hasMessageContaining("line 2 has 7 fields");
    Files.writeString(csv, Curves.HEADER + "\n1,2,3,4,5,x\n");
    assertThatThrownBy(() -> Curves.read(csv)).isInstanceOf(TrainingException.class)
        .hasMessageStartingWith("cannot read metrics file " + csv + ": ").hasMessageContaining("\"x\"");
  }
}
