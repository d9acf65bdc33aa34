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
    Files.createDirectories(dir.resolve("empty"));
    assertThat(Main.execute("curves", "--run", dir.resolve("empty").toString(), "--out",
        dir.resolve("x.png").toString())).isEqualTo(2);
    assertThat(dir.resolve("x.png")).doesNotExist();
  }
}
