package ghostunits.plasticity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ghostunits.model.Feedback;
import ghostunits.plasticity.BatchDynamics.BatchState;
import java.util.Locale;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The trainer's refusal of a lateral rate past the LMS bound (specs/model.md, GL): a step is refused
 * exactly when eta |mean r^1|^2 > 2 at the free equilibrium. ReproducibilityTest refuses the paper's
 * rate, twenty times past the bound; here the rate sits a millionth below and above it, so a
 * changed constant, a mean taken over the wrong index or a squared mean replaced by a mean square
 * moves the line and fails.
 */
class LateralRateBoundTest {
  private static final int BATCH = 5;

  private static TrainConfig config(String model, double etaGhost) {
    boolean prime = TrainConfig.MA_PRIME.equals(model);
    return new TrainConfig("bound", model, Feedback.TF, new int[] {12, 6, 3}, new int[] {3}, 0.001, 0.01, 0.2, 200,
        200, prime ? 0.2 : 10.0, BATCH, 1, new double[] {0.02, 0.02}, new double[] {etaGhost}, prime,
        TrainConfig.LEARNED, 0, 0, "");
  }

  /**
   * |mean r^1|^2 written from its definition: the batch mean of each hidden rate, squared, summed
   * over the hidden units (a loop over units, then examples, unlike the trainer's).
   */
  private static double squaredMeanRate(BatchState free) {
    DMatrixRMaj s1 = free.s(1);
    double[] mean = new double[s1.numRows];
    for (int j = 0; j < s1.numCols; j++) {
      for (int i = 0; i < s1.numRows; i++) {
        mean[i] += 1 / (1 + Math.exp(-s1.get(i, j))) / s1.numCols;
      }
    }
    double sum = 0;
    for (double m : mean) {
      sum += m * m;
    }
    return sum;
  }

  @ParameterizedTest(name = "{0}, {1} path, seed {2}")
  @CsvSource({"MA, FAST, 1", "MA, FAITHFUL, 2", "MA', FAST, 3", "MA', FAITHFUL, 4"})
  void aStepIsRefusedExactlyPastTheBound(String model, Trainer.Path path, long seed) {
    Random rng = new Random(seed);
    DMatrixRMaj x = new DMatrixRMaj(12, BATCH);
    DMatrixRMaj y = new DMatrixRMaj(3, BATCH);
    for (int j = 0; j < BATCH; j++) {
      for (int i = 0; i < 12; i++) {
        x.set(i, j, rng.nextDouble());
      }
      y.set(rng.nextInt(3), j, 1);
    }
    DenseNetwork net = DenseNetwork.initial(config(model, 1e-9), rng);
    // The free equilibrium the trainer reaches (it does not depend on the lateral rate).
    Trainer probe = new Trainer(config(model, 1e-9), path); // far inside any bound
    BatchState free = probe.learningFreePhase(net.copy(), x, y);
    double m = squaredMeanRate(free);
    double bound = 2 / m;

    DenseNetwork inside = net.copy();
    new Trainer(config(model, bound * (1 - 1e-6)), path).step(inside, x, y);
    assertThat(inside.sameBits(net)).as("a rate just inside the bound trains").isFalse();

    DenseNetwork past = net.copy();
    double eta = bound * (1 + 1e-6);
    assertThatThrownBy(() -> new Trainer(config(model, eta), path).step(past, x, y))
        .isInstanceOf(TrainingException.class)
        .hasMessageContaining("bound: the lateral rule eq. 4 is unstable at etaGhost " + eta)
        .hasMessageContaining(String.format(Locale.ROOT, "= %s x %.1f = %.2f > 2", eta, m, eta * m));
    assertThat(past.sameBits(net)).as("nothing applied past the bound").isTrue();
  }
}
