package ghostunits.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ghostunits.plasticity.Curves;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The curves command overlays run folders, and names a folder that is not a run. */
class CurvesCommandTest {
  @Test
  void overlaysRunsAndRefusesAFolderWithoutMetrics(@TempDir Path dir) throws Exception {
    for (String run : new String[] {"a-seed1", "b-seed1"}) {
      Files.createDirectories(dir.resolve(run));
      Curves.write(dir.resolve(run).resolve("metrics.csv"),
          List.of(new Curves.Row(1, 80, 0.1, 81, 0.1, 1), new Curves.Row(2, 85, 0.08, 84, 0.09, 1)));
    }
    Path png = dir.resolve("both.png");
    assertThat(Main.execute("curves", "--run", dir.resolve("a-seed1").toString(), "--run",
        dir.resolve("b-seed1").toString(), "--out", png.toString())).isZero();
    byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(png), 4);
    assertThat(head).containsExactly(0x89, 'P', 'N', 'G');
    // Two folders of the same name: both plotted, the second labelled by its path; the same folder twice is refused.
    Path a = dir.resolve("a-seed1");
    Path other = dir.resolve("other/a-seed1");
    Files.createDirectories(other);
    Files.copy(a.resolve("metrics.csv"), other.resolve("metrics.csv"));
    assertThat(CurvesCommand.labelled(List.of(a, other))).containsExactly(
        java.util.Map.entry("a-seed1", a), java.util.Map.entry(other.toString(), other));
    // A relative path equal to an earlier label falls back to the absolute path.
    Path relative = Path.of("a-seed1");
    assertThat(CurvesCommand.labelled(List.of(a, relative))).containsExactly(
        java.util.Map.entry("a-seed1", a), java.util.Map.entry(relative.toAbsolutePath().toString(), relative));
    assertThat(Main.execute("curves", "--run", a.toString(), "--run", other.toString(), "--out",
        dir.resolve("same-name.png").toString())).isZero();
    assertThat(Main.execute("curves", "--run", dir.resolve("a-seed1").toString(), "--run",
        dir.resolve("a-seed1").toString(), "--out", dir.resolve("twice.png").toString())).isEqualTo(2);
    assertThat(dir.resolve("twice.png")).doesNotExist();
    Files.createDirectories(dir.resolve("empty"));
    assertThat(Main.execute("curves", "--run", dir.resolve("empty").toString(), "--out",
        dir.resolve("x.png").toString())).isEqualTo(2);
    assertThat(dir.resolve("x.png")).doesNotExist();
  }
}
