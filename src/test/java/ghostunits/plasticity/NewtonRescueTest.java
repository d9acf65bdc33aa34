package ghostunits.plasticity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ghostunits.data.Mnist;
import ghostunits.dynamics.NoConvergenceException;
import ghostunits.model.Feedback;
import ghostunits.numeric.NonFiniteValueException;
import java.nio.file.Path;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * {@link BatchDynamics#settleOneHiddenLayer}: where Newton from the phase's start cycles, the
 * equilibrium returned is the one the dynamics settle in from that start.
 */
class NewtonRescueTest {
  private static final Path RESOURCE = Path.of("src/test/resources/ghostunits/plasticity/mb-tf-100-newton-cycles.json.gz");

  /**
   * The case that stopped a run (session 14): MB-TF-100's network at plain backprop's weights after
   * 55 epochs of the hidden-backprop branch, just before step 8108 of epoch 56 (MNIST training image
   * 15381, a 9). Newton from the fitted free state cycles at residual 0.05; the rescued equilibrium
   * is where 20,000 Euler steps of the dynamics from the same start end.
   */
  @Test
  void whereNewtonCyclesTheDynamicsSettleIt() {
    DenseNetwork net = Checkpoint.load(RESOURCE).network();
    TrainConfig c = TrainConfig.load(Path.of("configs/table1/MB-TF-100.json"));
    Mnist.Split train = Mnist.open(Mnist.defaultDir()).paperTrain();
    DMatrixRMaj[] xy = Trainer.batch(train, new int[] {15381}, 0, 1);
    DMatrixRMaj a = BatchDynamics.drive(net, xy[0]);
    BatchDynamics.BatchState free = BatchDynamics.fitGhostsModelB(net, a);
    double beta = c.beta();
    double h = c.timeStep().h();

    assertThatThrownBy(() -> BatchDynamics.equilibriumOneHiddenLayer(net, a, xy[1], beta, free))
        .isInstanceOf(NoConvergenceException.class).hasMessageContaining("after 100 Newton iterations");
    EulerFallbacks fallbacks = new EulerFallbacks();
    BatchDynamics.BatchState settled = BatchDynamics.settleOneHiddenLayer(net, a, xy[1], beta, free, h, fallbacks);
    assertThat(fallbacks.count()).as("solves the dynamics settled").isEqualTo(1);
    assertThat(fallbacks.firstReason()).contains("after 100 Newton iterations");
    BatchDynamics.BatchState dynamics = BatchDynamics.euler(net, a, xy[1], beta, free, h, 20_000);
    for (int k = 1; k <= 2; k++) {
      assertThat(Dense.maxAbsDiff(settled.s(k), dynamics.s(k))).as("s^%d", k).isLessThan(1e-9);
    }
    assertThat(Dense.maxAbsDiff(settled.g(1), dynamics.g(1))).as("g").isLessThan(1e-9);
    // Not the start: the nudged output moved (the rescue did not return the state it began at).
    assertThat(Dense.maxAbsDiff(settled.s(2), free.s(2))).isGreaterThan(0.1);

    // The training step on this example reports it to its caller (train logs it per epoch).
    DenseNetwork again = Checkpoint.load(RESOURCE).network();
    Trainer trainer = new Trainer(c, Trainer.Path.FAST);
    trainer.step(again, xy[0], xy[1]);
    assertThat(trainer.fallbacks().count()).isEqualTo(1);
    assertThat(trainer.fallbacks().firstReason())
        .startsWith("the batch (Newton: one-hidden-layer equilibrium solve (beta ");
    trainer.fallbacks().clear();
    assertThat(trainer.fallbacks().count()).isZero();
    assertThat(trainer.fallbacks().firstReason()).isNull();
  }

  /**
   * With the Newton budget cut to two steps, which mostly does not reach the root from the free
   * state (at least half the tries, checked), the fallback (the Euler map until the field is below
   * tolerance) lands on the equilibrium that full Newton finds.
   */
  @Property(tries = 30)
  void theRescueFindsTheEquilibriumNewtonFinds(@ForAll long seed) {
    Random rng = new Random(seed);
    int[] w = {2 + rng.nextInt(5), 2 + rng.nextInt(6), 2 + rng.nextInt(4)};
    TrainConfig c = new TrainConfig("prop", "MB", Feedback.TF, w, new int[] {1 + rng.nextInt(4)}, 0.5, 0.01, 0.3,
        100, 40, 0.1, 1, 1, new double[] {4.0, 0.04}, new double[] {20}, true, TrainConfig.FAST_CANCEL, 0, 0, "");
    DenseNetwork net = DenseNetwork.initial(c, rng);
    DMatrixRMaj[] xy = Fixtures.batch(rng, w[0], w[2], 1);
    DMatrixRMaj a = BatchDynamics.drive(net, xy[0]);
    BatchDynamics.BatchState free = BatchDynamics.fitGhostsModelB(net, a);
    double beta = 0.5;
    boolean twoStepsFail;
    try {
      BatchDynamics.equilibriumOneHiddenLayer(net, a, xy[1], beta, free, 2);
      twoStepsFail = false;
    } catch (NoConvergenceException e) {
      twoStepsFail = true;
    }
    Statistics.collect(twoStepsFail ? "rescued" : "two Newton steps enough");
    Statistics.coverage(cov -> cov.check("rescued").percentage(p -> p >= 50));
    EulerFallbacks fallbacks = new EulerFallbacks();
    BatchDynamics.BatchState rescued = BatchDynamics.settleOneHiddenLayer(net, a, xy[1], beta, free, 0.5, 2, fallbacks);
    // Counted exactly when it acted.
    assertThat(fallbacks.count()).isEqualTo(twoStepsFail ? 1 : 0);
    BatchDynamics.BatchState newton = BatchDynamics.equilibriumOneHiddenLayer(net, a, xy[1], beta, free);
    assertThat(Dense.maxAbsDiff(rescued.s(2), newton.s(2))).isLessThan(1e-10);
    assertThat(Dense.maxAbsDiff(rescued.g(1), newton.g(1))).isLessThan(1e-10);
  }

  /**
   * Where the dynamics do not settle either, the solve stops with a typed exception naming h, beta
   * and the steps taken, and nothing is counted: a step far too small to get anywhere in
   * {@link BatchDynamics#MAX_SETTLE_STEPS} steps, and one past the Euler map's stability bound
   * (|1 - h| > 1 on the leak term), which diverges. Newton is given no iteration, so the fallback
   * runs; Model B's one-hidden-layer solve and Model A's per-example one alike.
   */
  @Test
  void whereTheDynamicsDoNotSettleEitherTheSolveStopsAndSaysWhy() {
    Random rng = new Random(7);
    int[] w = {4, 5, 3};
    TrainConfig c = new TrainConfig("prop", "MB", Feedback.TF, w, new int[] {3}, 0.5, 0.01, 0.3,
        100, 40, 0.1, 1, 1, new double[] {4.0, 0.04}, new double[] {20}, true, TrainConfig.FAST_CANCEL, 0, 0, "");
    DenseNetwork net = DenseNetwork.initial(c, rng);
    DMatrixRMaj[] xy = Fixtures.batch(rng, w[0], w[2], 1);
    DMatrixRMaj a = BatchDynamics.drive(net, xy[0]);
    BatchDynamics.BatchState free = BatchDynamics.fitGhostsModelB(net, a);
    EulerFallbacks fallbacks = new EulerFallbacks();

    assertThatThrownBy(() -> BatchDynamics.settleOneHiddenLayer(net, a, xy[1], 0.5, free, 1e-9, 0, fallbacks))
        .isInstanceOf(NoConvergenceException.class)
        .hasMessageContaining("phase at beta 0.5").hasMessageContaining("h = 1.0E-9")
        .hasMessageContaining("after " + BatchDynamics.MAX_SETTLE_STEPS + " steps");
    assertThatThrownBy(() -> BatchDynamics.settleOneHiddenLayer(net, a, xy[1], 0.5, free, 5, 0, fallbacks))
        .isInstanceOf(NonFiniteValueException.class).hasMessageContaining("h = 5.0 diverged");

    Fixtures.Problem p = Fixtures.Problem.of(rng, "MA", Feedback.TF, w, new int[] {3}, 0.3, 10, 2);
    BatchDynamics.BatchState maFree = BatchDynamics.forward(p.net(), p.a());
    assertThatThrownBy(() -> BatchDynamics.nudgedModelASafe(p.net(), p.a(), p.xy()[1], 10, maFree, 5, 0, fallbacks))
        .isInstanceOf(NonFiniteValueException.class).hasMessageContaining("example 0")
        .hasMessageContaining("h = 5.0 diverged");
    assertThat(fallbacks.count()).isZero();
  }
}
