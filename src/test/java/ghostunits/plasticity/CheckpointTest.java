package ghostunits.plasticity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ghostunits.model.Feedback;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checkpoint file: gzip by name, bitwise round trip, and clear refusals of a damaged file. */
class CheckpointTest {
  private static DenseNetwork net(Feedback fb) {
    return DenseNetwork.initial(Fixtures.config("MA", fb, new int[] {5, 4, 3, 2}, new int[] {3, 2}, 0.4, 1.0, 2),
        new Random(3));
  }

  @Test
  void aGzNameIsGzippedJsonAnyOtherPlainJsonBothBitwise(@TempDir Path dir) throws IOException {
    DenseNetwork net = net(Feedback.FA);
    Checkpoint cp = Checkpoint.of("row", 9, 4, "FAITHFUL", 300, 200, "abc123", net);
    Path gz = dir.resolve("a.json.gz");
    Path plain = dir.resolve("a.json");
    cp.save(gz);
    cp.save(plain);
    byte[] g = Files.readAllBytes(gz);
    assertThat(new byte[] {g[0], g[1]}).containsExactly(0x1f, 0x8b);
    assertThat(Files.readString(plain)).startsWith("{\"config\":\"row\",\"seed\":9,\"epochsDone\":4,"
        + "\"path\":\"FAITHFUL\",\"trainExamples\":300,\"testExamples\":200,");
    for (Path f : new Path[] {gz, plain}) {
      Checkpoint back = Checkpoint.load(f);
      assertThat(back.network().sameBits(net)).isTrue();
      assertThat(back.fixedB()).hasSize(2); // FA: B^1, B^2 are part of the state
      assertThat(Arrays.asList(back.config(), back.seed(), back.epochsDone(), back.path(), back.trainExamples(),
          back.testExamples(), back.initialWeightsSha256())).containsExactly("row", 9L, 4, "FAITHFUL", 300, 200, "abc123");
    }
    assertThat(dir).isDirectoryNotContaining("glob:**.tmp");
    assertThat(Checkpoint.of("row", 9, 4, "FAST", 1, 1, null, net(Feedback.TF)).fixedB()).isEmpty();
    Path nested = dir.resolve("new/run/checkpoint.json.gz"); // folders are created
    cp.save(nested);
    assertThat(Checkpoint.load(nested).network().sameBits(net)).isTrue();
  }

  @Test
  void aDamagedFileIsRefusedNamingIt(@TempDir Path dir) throws IOException {
    Path plain = dir.resolve("c.json");
    Checkpoint.of("row", 9, 4, "FAST", 300, 200, null, net(Feedback.TF)).save(plain);
    String json = Files.readString(plain);

    Path cut = dir.resolve("cut.json");
    Files.writeString(cut, json.substring(0, json.length() / 2));
    assertThatThrownBy(() -> Checkpoint.load(cut)).isInstanceOf(TrainingException.class)
        .hasMessageStartingWith("cannot read checkpoint " + cut + ": ");

    Path notGzip = dir.resolve("plain.json.gz");
    Files.writeString(notGzip, json);
    assertThatThrownBy(() -> Checkpoint.load(notGzip)).isInstanceOf(TrainingException.class)
        .hasMessageStartingWith("cannot read checkpoint " + notGzip + ": ");

    // The first W^1 is 4 x 5: one value short is refused when the network is built, with the shape.
    Path shortMatrix = dir.resolve("short.json");
    Files.writeString(shortMatrix, json.replaceFirst("(\"rows\":4,\"cols\":5,\"data\":\\[)[^,]+,", "$1"));
    Checkpoint damaged = Checkpoint.load(shortMatrix);
    assertThatThrownBy(damaged::network).isInstanceOf(TrainingException.class)
        .hasMessage("checkpoint matrix 4x5 holds 19 values");

    Path unknown = dir.resolve("unknown.json");
    Files.writeString(unknown, json.replaceFirst("\"seed\"", "\"seeed\":1,\"seed\""));
    assertThatThrownBy(() -> Checkpoint.load(unknown)).isInstanceOf(TrainingException.class)
        .hasMessageContaining("seeed");
  }

  @Test
  void requireMatchNamesBothSides() {
    Checkpoint cp = Checkpoint.of("row", 9, 4, "FAST", 300, 200, null, net(Feedback.TF));
    Path f = Path.of("x.json.gz");
    cp.requireMatch(f, "row", 9, "FAST");
    cp.requireMatch(f, "row", 9, null); // steps: any way of learning
    assertThatThrownBy(() -> cp.requireMatch(f, "other", 9, null)).isInstanceOf(TrainingException.class)
        .hasMessage("checkpoint x.json.gz is of config row, seed 9, path FAST; this run is other, seed 9");
    assertThatThrownBy(() -> cp.requireMatch(f, "row", 9, "FAITHFUL")).isInstanceOf(TrainingException.class)
        .hasMessage("checkpoint x.json.gz is of config row, seed 9, path FAST; this run is row, seed 9, path FAITHFUL");
    cp.requireSameData(f, 300, 200);
    assertThatThrownBy(() -> cp.requireSameData(f, 300, 10_000)).isInstanceOf(TrainingException.class)
        .hasMessage("checkpoint x.json.gz trained on 300 and tested on 200 images; this run would train on 300 and test"
            + " on 10000 (--train-limit, --test-limit)");
  }

  /** The recorded start is checked against the given initial weights; a checkpoint that has none is accepted. */
  @Test
  void requireStartedFromComparesTheFingerprintOfTheStart() {
    DenseNetwork start = net(Feedback.FA);
    DenseNetwork trained = start.copy();
    trained.w(1).add(0, 0, 0.25); // training moves the weights; the record of the start stays
    Checkpoint cp = Checkpoint.of("row", 9, 4, "FAST", 300, 200, start.fingerprint(), trained);
    Path f = Path.of("x.json.gz");
    assertThat(cp.recordsItsStart()).isTrue();
    cp.requireStartedFrom(f, start, "row.json with seed 9");
    assertThatThrownBy(() -> cp.requireStartedFrom(f, trained, "row.json with seed 9"))
        .isInstanceOf(TrainingException.class)
        .hasMessage("checkpoint x.json.gz started from other initial weights (SHA-256 " + start.fingerprint()
            + ") than row.json with seed 9 gives (" + trained.fingerprint() + "): its config's widths, init, feedback"
            + " or ghosts differ from the given one's, or another build drew them otherwise");
    Checkpoint old = Checkpoint.of("row", 9, 4, "FAST", 300, 200, null, trained);
    assertThat(old.recordsItsStart()).isFalse();
    old.requireStartedFrom(f, trained, "row.json with seed 9");
    old.requireStartedFrom(f, start, "row.json with seed 9");
  }

  /**
   * A committed run's checkpoint, written before starts were recorded: it loads, records none, and
   * its fixed B^1 is still the one today's code draws for its config and seed (so the draw order of
   * the initial weights has not changed under the committed runs, and `steps` accepts them).
   */
  @Test
  void aCommittedCheckpointOfAnEarlierBuildLoadsAndMatchesTodaysDraw() {
    Path file = Path.of("reports/runs/MA-FA-500-seed1/checkpoint.json.gz");
    Checkpoint cp = Checkpoint.load(file);
    assertThat(cp.recordsItsStart()).isFalse();
    cp.requireMatch(file, "MA-FA-500", 1, "FAST");
    TrainConfig c = TrainConfig.load(Path.of("configs/table1/MA-FA-500.json"));
    assertThat(new RunFolder(file.getParent()).savedConfigDifferences(c)).isEmpty();
    DenseNetwork drawn = DenseNetwork.initial(c, new Random(1));
    assertThat(cp.network().b(1).data).isEqualTo(drawn.b(1).data);
    assertThat(cp.network().w(1).data).isNotEqualTo(drawn.w(1).data); // 200 epochs have moved W
  }
}
