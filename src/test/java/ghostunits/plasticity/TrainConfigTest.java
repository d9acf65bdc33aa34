package ghostunits.plasticity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainConfigTest {
  @Test
  void everyTable1ConfigLoadsAndValidates() throws IOException {
    int count = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(Path.of("configs/table1"), "*.json")) {
      for (Path f : files) {
        TrainConfig c = TrainConfig.load(f);
        assertThat(f.getFileName().toString()).isEqualTo(c.name() + ".json");
        assertThat(c.paperTest()).isBetween(90.0, 100.0);
        count++;
      }
    }
    assertThat(count).isGreaterThanOrEqualTo(4);
  }

  @Test
  void anUnknownFieldIsNamed(@TempDir Path dir) throws IOException {
    String source = Files.readString(Path.of("configs/table1/MA-TF-500.json"));
    Path extra = dir.resolve("extra.json");
    Files.writeString(extra, source.replace("\"beta\"", "\"betta\": 1, \"beta\""));
    assertThatThrownBy(() -> TrainConfig.load(extra)).isInstanceOf(TrainingException.class).hasMessageContaining("betta");
    Path missing = dir.resolve("missing.json");
    Files.writeString(missing, source.replace("\"beta\"", "\"betta\""));
    assertThatThrownBy(() -> TrainConfig.load(missing)).isInstanceOf(TrainingException.class)
        .hasMessageContaining("'beta'");
  }

  @Test
  void modelAGhostCountsMustShadowTheNextLayer(@TempDir Path dir) throws IOException {
    String json = Files.readString(Path.of("configs/table1/MA-TF-500.json"))
        .replaceAll("\"ghosts\"\\s*:\\s*\\[\\s*10\\s*\\]", "\"ghosts\": [5]");
    Path f = dir.resolve("ghosts.json");
    Files.writeString(f, json);
    assertThatThrownBy(() -> TrainConfig.load(f)).isInstanceOf(TrainingException.class)
        .hasMessageContaining("m_k = n_{k+1}").hasMessageContaining("ghosts[0] = 5");
  }

  @Test
  void timeStepIsDtOverTau() {
    TrainConfig ma = TrainConfig.load(Path.of("configs/table1/MA-TF-500.json"));
    TrainConfig mb = TrainConfig.load(Path.of("configs/table1/MB-TF-500.json"));
    assertThat(ma.timeStep().h()).isCloseTo(0.1, org.assertj.core.data.Offset.offset(1e-15));
    assertThat(mb.timeStep().h()).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-15));
  }
}
