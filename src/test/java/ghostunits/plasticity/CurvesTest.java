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
  private static final List<Curves.Row> ROWS = List.of(new Curves.Row(1, 87.6943, 0.123456, 88.5, 0.1, 47.25, 0),
      new Curves.Row(2, 90.12345, 0.0987654, 91.0, 0.09, 3.0, 17));

  @Test
  void writesTheDocumentedColumnsAndReadsThemBack(@TempDir Path dir) throws IOException {
    Path csv = dir.resolve("metrics.csv");
    Curves.write(csv, ROWS);
    assertThat(Files.readAllLines(csv, StandardCharsets.UTF_8)).containsExactly(
        "epoch,train_accuracy,train_mse,test_accuracy,test_mse,epoch_seconds,newton_fallbacks",
        "1,87.6943,0.123456,88.5000,0.100000,47.3,0",
        "2,90.1235,0.098765,91.0000,0.090000,3.0,17");
    assertThat(Curves.read(csv)).containsExactly(new Curves.Row(1, 87.6943, 0.123456, 88.5, 0.1, 47.3, 0),
        new Curves.Row(2, 90.1235, 0.098765, 91.0, 0.09, 3.0, 17));
    assertThat(dir).isDirectoryNotContaining("glob:**.tmp");
    assertThat(Curves.read(dir.resolve("none.csv"))).isEmpty();
  }

  @Test
  void readsAFileWrittenBeforeTheCountAndKeepsItsCountsUnknown(@TempDir Path dir) throws IOException {
    // The committed runs up to 2026-12-03 have six columns; a resumed one goes on in the new format,
    // its old epochs with an empty count (unknown), never a zero.
    Path csv = dir.resolve("metrics.csv");
    Files.writeString(csv, "epoch,train_accuracy,train_mse,test_accuracy,test_mse,epoch_seconds\n"
        + "1,84.2800,0.177192,85.2600,0.171330,10.2\n");
    List<Curves.Row> rows = new java.util.ArrayList<>(Curves.read(csv));
    assertThat(rows).containsExactly(new Curves.Row(1, 84.28, 0.177192, 85.26, 0.17133, 10.2,
        Curves.Row.NOT_RECORDED));
    rows.add(new Curves.Row(2, 87.4382, 0.129262, 88.42, 0.12269, 12.8, 3));
    Curves.write(csv, rows);
    assertThat(Files.readAllLines(csv, StandardCharsets.UTF_8)).containsExactly(Curves.HEADER,
        "1,84.2800,0.177192,85.2600,0.171330,10.2,", "2,87.4382,0.129262,88.4200,0.122690,12.8,3");
    assertThat(Curves.read(csv)).isEqualTo(rows);
  }

  @Test
  void aRowRefusesANegativeCount() {
    assertThatThrownBy(() -> new Curves.Row(4, 1, 1, 1, 1, 1, -2)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("epoch 4: newtonFallbacks -2 is negative (NOT_RECORDED is -1)");
  }

  @Test
  void refusesAFileThatIsNotAMetricsFile(@TempDir Path dir) throws IOException {
    Path csv = dir.resolve("metrics.csv");
    String either = Curves.HEADER + " (or, written before 2026-12-03, " + Curves.HEADER_WITHOUT_FALLBACKS + ")";
    Files.writeString(csv, "");
    assertThatThrownBy(() -> Curves.read(csv)).isInstanceOf(TrainingException.class)
        .hasMessage("metrics file " + csv + " does not start with the header " + either + " (it is empty)");
    Files.writeString(csv, "epoch,acc\n1,2\n");
    assertThatThrownBy(() -> Curves.read(csv)).isInstanceOf(TrainingException.class)
        .hasMessage("metrics file " + csv + " does not start with the header " + either + " (line 1 is \"epoch,acc\")");
    Files.writeString(csv, Curves.HEADER + "\n1,2,3,4,5,6,0\n2,2,3,4,5,6\n");
    assertThatThrownBy(() -> Curves.read(csv)).isInstanceOf(TrainingException.class)
        .hasMessage("metrics file " + csv + " line 3 has 6 fields, expected 7 (" + Curves.HEADER + ")");
    Files.writeString(csv, Curves.HEADER_WITHOUT_FALLBACKS + "\n1,2,3,4,5,6\n2,2,3,4,5\n");
    assertThatThrownBy(() -> Curves.read(csv)).isInstanceOf(TrainingException.class)
        .hasMessage("metrics file " + csv + " line 3 has 5 fields, expected 6 (" + Curves.HEADER_WITHOUT_FALLBACKS
            + ")");
    // In the old format a trailing comma is a seventh, empty field, not ignored.
    Files.writeString(csv, Curves.HEADER_WITHOUT_FALLBACKS + "\n1,2,3,4,5,6,\n");
    assertThatThrownBy(() -> Curves.read(csv)).isInstanceOf(TrainingException.class)
        .hasMessageContaining("line 2 has 7 fields");
    Files.writeString(csv, Curves.HEADER + "\n1,2,3,4,5,x,0\n");
    assertThatThrownBy(() -> Curves.read(csv)).isInstanceOf(TrainingException.class)
        .hasMessageStartingWith("cannot read metrics file " + csv + ": ").hasMessageContaining("\"x\"");
    Files.writeString(csv, Curves.HEADER + "\n1,2,3,4,5,6,1.5\n");
    assertThatThrownBy(() -> Curves.read(csv)).isInstanceOf(TrainingException.class)
        .hasMessageStartingWith("cannot read metrics file " + csv + ": ").hasMessageContaining("\"1.5\"");
    // An unknown count is an empty field; -1 is not a way to write it.
    Files.writeString(csv, Curves.HEADER + "\n1,2,3,4,5,6,-1\n");
    assertThatThrownBy(() -> Curves.read(csv)).isInstanceOf(TrainingException.class)
        .hasMessage("metrics file " + csv + " line 2 has newton_fallbacks -1: a count is not negative (an empty field"
            + " means not recorded)");
  }
}
