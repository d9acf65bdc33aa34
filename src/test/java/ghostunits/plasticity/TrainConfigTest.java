package ghostunits.plasticity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
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

  /**
   * configs/explore holds copies of a Table 1 row with eta_W changed (its README): each loads, is
   * named as its file, and differs from its row (the name up to "-eta") in eta_W, name and notes
   * only, so that its finding is about the rate and nothing else.
   */
  @Test
  void everyExplorationConfigIsItsTable1RowWithOnlyTheRateChanged() throws IOException {
    ObjectMapper json = new ObjectMapper();
    int count = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(Path.of("configs/explore"), "*.json")) {
      for (Path f : files) {
        TrainConfig c = TrainConfig.load(f);
        assertThat(f.getFileName().toString()).isEqualTo(c.name() + ".json");
        String row = c.name().substring(0, c.name().indexOf("-eta"));
        ObjectNode explore = (ObjectNode) json.readTree(f.toFile());
        ObjectNode table1 = (ObjectNode) json.readTree(Path.of("configs/table1/" + row + ".json").toFile());
        assertThat(explore.get("etaW")).as(f.toString()).isNotEqualTo(table1.get("etaW"));
        for (ObjectNode n : List.of(explore, table1)) {
          n.remove(List.of("name", "notes", "etaW"));
        }
        assertThat(explore).as(f + " against configs/table1/" + row + ".json").isEqualTo(table1);
        count++;
      }
    }
    assertThat(count).isGreaterThanOrEqualTo(7);
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

  /** MA-TF-500 (or another row) with some fields replaced, loaded from a file in dir. */
  private static TrainConfig edited(Path dir, String row, Consumer<ObjectNode> edit) throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode tree = (ObjectNode) json.readTree(Path.of("configs/table1/" + row + ".json").toFile());
    edit.accept(tree);
    Path f = dir.resolve("edited.json");
    Files.write(f, json.writeValueAsBytes(tree));
    return TrainConfig.load(f);
  }

  /**
   * Each range is checked at its edge: the smallest allowed value loads, the next one out is
   * refused with the whole message (PIT: boundary mutants of validate survived, as no test sat
   * on an edge).
   */
  @Test
  void everyRangeIsCheckedAtItsEdge(@TempDir Path dir) throws IOException {
    String at = "config " + dir.resolve("edited.json") + " (MA-TF-500): ";
    assertThat(edited(dir, "MA-TF-500", t -> t.putArray("widths").add(784).add(1).add(10)).widths())
        .containsExactly(784, 1, 10);
    assertThatThrownBy(() -> edited(dir, "MA-TF-500", t -> t.putArray("widths").add(784).add(0).add(10)))
        .isInstanceOf(TrainingException.class).hasMessage(at + "widths [784, 0, 10] has a layer with no unit");
    for (String field : new String[] {"epochs", "freeSteps", "nudgedSteps"}) {
      assertThat(edited(dir, "MA-TF-500", t -> t.put(field, 0))).as(field + " 0").isNotNull();
      String batchEtc = switch (field) {
        case "epochs" -> "batch 100, epochs -1, steps 200/200";
        case "freeSteps" -> "batch 100, epochs 200, steps -1/200";
        default -> "batch 100, epochs 200, steps 200/-1";
      };
      assertThatThrownBy(() -> edited(dir, "MA-TF-500", t -> t.put(field, -1))).isInstanceOf(TrainingException.class)
          .hasMessage(at + batchEtc + ": batch must be >= 1, the others >= 0");
    }
    assertThat(edited(dir, "MA-TF-500", t -> t.put("batch", 1)).batch()).isEqualTo(1);
    assertThatThrownBy(() -> edited(dir, "MA-TF-500", t -> t.put("batch", 0))).isInstanceOf(TrainingException.class)
        .hasMessage(at + "batch 0, epochs 200, steps 200/200: batch must be >= 1, the others >= 0");
    assertThat(edited(dir, "MA-TF-500", t -> t.put("beta", Double.MIN_VALUE)).beta()).isEqualTo(Double.MIN_VALUE);
    assertThatThrownBy(() -> edited(dir, "MA-TF-500", t -> t.put("beta", 0.0))).isInstanceOf(TrainingException.class)
        .hasMessage(at + "beta must be > 0, got 0.0");
    assertThat(edited(dir, "MA-TF-500", t -> t.put("init", Double.MIN_VALUE)).init()).isEqualTo(Double.MIN_VALUE);
    assertThatThrownBy(() -> edited(dir, "MA-TF-500", t -> t.put("init", 0.0))).isInstanceOf(TrainingException.class)
        .hasMessage(at + "init half-width must be > 0, got 0.0");
    String learnedAt = "config " + dir.resolve("edited.json") + " (MA-TF-500-learned): ";
    assertThat(edited(dir, "MA-TF-500-learned", t -> t.putArray("etaGhost").add(0.0)).etaGhost()).containsExactly(0.0);
    assertThatThrownBy(() -> edited(dir, "MA-TF-500-learned", t -> t.putArray("etaGhost").add(-1e-300)))
        .isInstanceOf(TrainingException.class)
        .hasMessage(learnedAt + "etaGhost [-1.0E-300] has a rate that is not a finite number >= 0: -1.0E-300");
    assertThatThrownBy(() -> edited(dir, "MA-TF-500-learned", t -> t.putArray("etaGhost").add(0.1).add(0.1)))
        .isInstanceOf(TrainingException.class)
        .hasMessage(learnedAt + "etaGhost [0.1, 0.1] must give one lateral rate per hidden layer (1)");
    assertThatThrownBy(() -> edited(dir, "MA-TF-500", t -> t.putArray("ghosts").add(5)))
        .isInstanceOf(TrainingException.class).hasMessage(at + "Model A needs m_k = n_{k+1}: ghosts[0] = 5 but n_2 = 10");
    assertThatThrownBy(() -> edited(dir, "MA-TF-500", t -> t.put("ghostMode", "fast-cancel")))
        .isInstanceOf(TrainingException.class)
        .hasMessage(at + "ghostMode \"fast-cancel\" is not implemented for MA; use \"converged\" or \"learned\"");
  }

  /** What a resume compares: each field that changes what is learned, by itself, and nothing else. */
  @Test
  void trainingDifferencesNameExactlyTheFieldsThatChangeWhatIsLearned() throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode base = (ObjectNode) json.readTree(Path.of("configs/table1/MA-FA-500-500.json").toFile());
    TrainConfig c = json.treeToValue(base, TrainConfig.class);
    java.util.Map<String, Consumer<ObjectNode>> edits = new java.util.LinkedHashMap<>();
    edits.put("name MA-FA-500-500 vs other", t -> t.put("name", "other"));
    edits.put("model MA vs MA'", t -> t.put("model", "MA'"));
    edits.put("feedback FA vs TF", t -> t.put("feedback", "TF"));
    edits.put("widths [784, 500, 500, 10] vs [784, 500, 400, 10]", t -> t.putArray("widths").add(784).add(500).add(400)
        .add(10));
    edits.put("ghosts [500, 10] vs [500, 9]", t -> t.putArray("ghosts").add(500).add(9));
    edits.put("dt 0.001 vs 0.002", t -> t.put("dt", 0.002));
    edits.put("tau 0.01 vs 0.02", t -> t.put("tau", 0.02));
    edits.put("init 0.1 vs 0.2", t -> t.put("init", 0.2));
    edits.put("freeSteps 200 vs 100", t -> t.put("freeSteps", 100));
    edits.put("nudgedSteps 200 vs 100", t -> t.put("nudgedSteps", 100));
    edits.put("beta 10.0 vs 1.0", t -> t.put("beta", 1.0));
    edits.put("batch 100 vs 50", t -> t.put("batch", 50));
    edits.put("etaW [0.05, 0.05, 0.05] vs [0.05, 0.05, 0.1]", t -> t.putArray("etaW").add(0.05).add(0.05).add(0.1));
    edits.put("etaGhost [0.02, 0.02] vs [0.02, 0.03]", t -> t.putArray("etaGhost").add(0.02).add(0.03));
    edits.put("divideByBeta false vs true", t -> t.put("divideByBeta", true));
    edits.put("ghostMode converged vs learned", t -> t.put("ghostMode", "learned"));
    for (java.util.Map.Entry<String, Consumer<ObjectNode>> e : edits.entrySet()) {
      ObjectNode tree = base.deepCopy();
      e.getValue().accept(tree);
      assertThat(c.trainingDifferences(json.treeToValue(tree, TrainConfig.class))).as(e.getKey())
          .containsExactly(e.getKey());
    }
    ObjectNode report = base.deepCopy();
    report.put("epochs", 5).put("paperTrain", 1.0).put("paperTest", 2.0).put("notes", "other");
    assertThat(c.trainingDifferences(json.treeToValue(report, TrainConfig.class))).isEmpty();
    assertThat(c.trainingDifferences(c)).isEmpty();
  }
}
