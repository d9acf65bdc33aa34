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

  @Test
  void learnedGhostsAndModelAPrimeAreChecked(@TempDir Path dir) throws IOException {
    String prime = Files.readString(Path.of("configs/table1/MA-prime-TF-500.json"));
    Path notDivided = dir.resolve("notDivided.json");
    Files.writeString(notDivided, prime.replace("\"divideByBeta\": true", "\"divideByBeta\": false"));
    assertThatThrownBy(() -> TrainConfig.load(notDivided)).isInstanceOf(TrainingException.class)
        .hasMessageContaining("MA'").hasMessageContaining("divideByBeta must be true");
    Path converged = dir.resolve("converged.json");
    Files.writeString(converged, prime.replace("\"learned\"", "\"converged\""));
    assertThatThrownBy(() -> TrainConfig.load(converged)).isInstanceOf(TrainingException.class)
        .hasMessageContaining("ghostMode \"converged\" is not implemented for MA'");
    String learned = Files.readString(Path.of("configs/table1/MA-TF-500-learned.json"));
    Path noRate = dir.resolve("noRate.json");
    Files.writeString(noRate, learned.replaceAll("\"etaGhost\"\\s*:\\s*\\[\\s*0.05\\s*\\]", "\"etaGhost\": []"));
    assertThatThrownBy(() -> TrainConfig.load(noRate)).isInstanceOf(TrainingException.class)
        .hasMessageContaining("one lateral rate per hidden layer");
    String deep = Files.readString(Path.of("configs/table1/MA-FA-500-500.json")).replace("\"converged\"", "\"learned\"");
    Path twoHidden = dir.resolve("twoHidden.json");
    Files.writeString(twoHidden, deep);
    assertThatThrownBy(() -> TrainConfig.load(twoHidden)).isInstanceOf(TrainingException.class)
        .hasMessageContaining("one hidden layer only");
    TrainConfig ok = TrainConfig.load(Path.of("configs/table1/MA-TF-500-learned.json"));
    assertThat(ok.learnsGhosts()).isTrue();
    assertThat(ok.convergedGhosts()).isFalse();
  }

  @Test
  void aRunsConfigCopyLoadsBackAsTheSameConfig(@TempDir Path dir) throws IOException {
    TrainConfig c = TrainConfig.load(Path.of("configs/table1/MA-prime-TF-500.json"));
    Path copy = dir.resolve("MA-prime-TF-500.json");
    Files.writeString(copy, c.toJson());
    assertThat(TrainConfig.load(copy).toJson()).isEqualTo(c.toJson());
  }
}
