package ghostunits.plasticity;

import static org.assertj.core.api.Assertions.assertThat;

import ghostunits.data.Mnist;
import ghostunits.model.Feedback;
import java.nio.file.Path;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A seed fixes the init and the data order: two runs give bitwise the same weights; checkpoints round-trip. */
class ReproducibilityTest {
  static final Mnist.Split TRAIN = Mnist.open(Mnist.defaultDir()).paperTrain().first(400);

  private static DenseNetwork train(TrainConfig c, Trainer.Path path, long seed, int examples) {
    DenseNetwork net = DenseNetwork.initial(c, new Random(seed));
    Trainer t = new Trainer(c, path);
    int[] order = Trainer.order(seed, 1, TRAIN.size());
    for (int from = 0; from + c.batch() <= examples; from += c.batch()) {
      DMatrixRMaj[] xy = Trainer.batch(TRAIN, order, from, c.batch());
      t.step(net, xy[0], xy[1]);
    }
    return net;
  }

  static TrainConfig ma(Feedback fb) {
    return new TrainConfig("repro", "MA", fb, new int[] {784, 40, 10}, new int[] {10}, 0.001, 0.01, 0.2, 200, 200,
        10.0, 100, 1, new double[] {0.1, 0.1}, new double[] {0.05}, false, TrainConfig.CONVERGED, 0, 0, "");
  }

  static TrainConfig mb(Feedback fb) {
    return new TrainConfig("repro", "MB", fb, new int[] {784, 40, 10}, new int[] {5}, 0.005, 0.01, 0.05, 100, 40,
        0.1, 1, 1, new double[] {4.0, 0.04}, new double[] {20}, true, TrainConfig.FAST_CANCEL, 0, 0, "");
  }

  /** MA learning its ghosts (eq. 4-5), at a lateral rate inside the LMS stability bound (configs/table1/README.md). */
  static TrainConfig maLearned(Feedback fb, String model) {
    boolean prime = TrainConfig.MA_PRIME.equals(model);
    return new TrainConfig("repro", model, fb, new int[] {784, 40, 10}, new int[] {10}, 0.001, 0.01, 0.2, 200, 200,
        prime ? 0.2 : 10.0, 100, 1, new double[] {0.02, 0.02}, new double[] {0.005}, prime, TrainConfig.LEARNED, 0, 0,
        "");
  }

  @Test
  void sameSeedSameWeightsBitwise() {
    for (TrainConfig c : new TrainConfig[] {ma(Feedback.TF), ma(Feedback.FA), mb(Feedback.TF), mb(Feedback.FA),
        maLearned(Feedback.TF, TrainConfig.MA), maLearned(Feedback.FA, TrainConfig.MA_PRIME)}) {
      DenseNetwork a = train(c, Trainer.Path.FAST, 7, 300);
      DenseNetwork b = train(c, Trainer.Path.FAST, 7, 300);
      assertThat(a.sameBits(b)).as("%s-%s fast, seed 7, 300 examples", c.model(), c.feedback()).isTrue();
      // And the run did learn something (a different seed gives different weights).
      assertThat(a.sameBits(train(c, Trainer.Path.FAST, 8, 300))).isFalse();
    }
    DenseNetwork f1 = train(ma(Feedback.TF), Trainer.Path.FAITHFUL, 3, 200);
    DenseNetwork f2 = train(ma(Feedback.TF), Trainer.Path.FAITHFUL, 3, 200);
    assertThat(f1.sameBits(f2)).as("MA faithful, seed 3").isTrue();
  }

  @Test
  void checkpointRoundTripIsBitwise(@TempDir Path dir) {
    for (TrainConfig c : new TrainConfig[] {ma(Feedback.FA), mb(Feedback.TF), maLearned(Feedback.FA, TrainConfig.MA)}) {
      DenseNetwork net = train(c, Trainer.Path.FAST, 5, 200);
      assertThat(net.convergedGhosts()).isEqualTo(c.convergedGhosts());
      Path file = dir.resolve(c.model() + c.ghostMode() + (c.isModelA() ? ".json" : ".json.gz"));
      Checkpoint.of("repro", 5, 1, "FAST", 200, 0, null, net).save(file);
      DenseNetwork back = Checkpoint.load(file).network();
      assertThat(back.sameBits(net)).as("%s (%s ghosts) checkpoint round trip", c.model(), c.ghostMode()).isTrue();
      assertThat(back.convergedGhosts()).isEqualTo(c.convergedGhosts());
    }
  }

  /** The printed lateral rate of MA-TF-500-learned is past the LMS bound: refused before any step, with the numbers. */
  @Test
  void anUnstableLateralRateIsRefusedWithItsStabilityNumber() {
    TrainConfig c = TrainConfig.load(Path.of("configs/table1/MA-TF-500-learned.json"));
    DenseNetwork net = DenseNetwork.initial(c, new Random(1));
    DenseNetwork before = net.copy();
    DMatrixRMaj[] xy = Trainer.batch(TRAIN, Trainer.order(1, 1, TRAIN.size()), 0, c.batch());
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Trainer(c, Trainer.Path.FAST).step(net, xy[0], xy[1]))
        .isInstanceOf(TrainingException.class).hasMessageContaining("MA-TF-500-learned: the lateral rule eq. 4 is"
            + " unstable at etaGhost 0.05").hasMessageContaining("> 2");
    assertThat(net.sameBits(before)).as("nothing applied").isTrue();
  }
}
