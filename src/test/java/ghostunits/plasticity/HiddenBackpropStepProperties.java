package ghostunits.plasticity;

import static org.assertj.core.api.Assertions.assertThat;

import ghostunits.model.Feedback;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.ejml.data.DMatrixRMaj;

/**
 * The experiment {@link Trainer#stepWithBackpropHiddenSteps} is what it says, bitwise: the output
 * layer moves by eq. 6's update as {@link Trainer#updates} reports it, each hidden layer exactly as
 * {@link Backprop#step} (the paper's cost, the row's feedback) would move it, and Model B's ghost
 * fit leaves the same Omega as the row's own step. And it is not the row's own step: the hidden
 * layers move otherwise (else the experiment would test nothing).
 */
class HiddenBackpropStepProperties {
  @Property(tries = 40)
  void outputByEq6HiddenByBackprop(@ForAll long seed, @ForAll boolean modelB, @ForAll boolean fa,
      @ForAll boolean faithful, @ForAll @IntRange(min = 1, max = 2) int hidden) {
    Random rng = new Random(seed);
    int layers = modelB ? 1 : hidden; // Model B's fast solve has one hidden layer
    int[] w = new int[layers + 2];
    for (int i = 0; i < w.length; i++) {
      w[i] = 2 + rng.nextInt(7);
    }
    int batch = modelB ? 1 : 1 + rng.nextInt(6); // Model B fits its ghosts example by example
    Feedback feedback = fa ? Feedback.FA : Feedback.TF;
    TrainConfig c = modelB
        ? new TrainConfig("prop", "MB", feedback, w, new int[] {1 + rng.nextInt(5)}, 0.005, 0.01, 0.3, 100, 40, 0.1,
            batch, 1, new double[] {4.0, 0.04}, new double[] {20}, true, TrainConfig.FAST_CANCEL, 0, 0, "")
        : new TrainConfig("prop", "MA", feedback, w, Arrays.copyOfRange(w, 2, w.length), 0.001, 0.01, 0.3, 200, 200,
            10.0, batch, 1, Fixtures.fill(layers + 1, 0.1), Fixtures.fill(layers, 0.05), false, TrainConfig.CONVERGED,
            0, 0, "");
    DenseNetwork net = DenseNetwork.initial(c, rng);
    DMatrixRMaj[] xy = Fixtures.batch(rng, w[0], w[w.length - 1], batch);
    Trainer t = new Trainer(c, faithful ? Trainer.Path.FAITHFUL : Trainer.Path.FAST);
    int n = c.depth();

    DenseNetwork hybrid = net.copy();
    t.stepWithBackpropHiddenSteps(hybrid, xy[0], xy[1]);
    DenseNetwork own = net.copy();
    DMatrixRMaj[] eq6 = t.updates(own, xy[0], xy[1]); // fits Model B's ghosts in own
    DenseNetwork backprop = net.copy();
    Backprop.step(backprop, xy[0], xy[1], c.etaW(), Backprop.Cost.MSE, feedback);

    DenseNetwork outputByEq6 = net.copy();
    outputByEq6.addToW(n, eq6[n - 1]);
    assertThat(hybrid.w(n).data).as("W^%d: eq. 6's update", n).containsExactly(outputByEq6.w(n).data);
    for (int k = 1; k < n; k++) {
      assertThat(hybrid.w(k).data).as("W^%d: backprop's step", k).containsExactly(backprop.w(k).data);
      DenseNetwork hiddenByEq6 = net.copy();
      hiddenByEq6.addToW(k, eq6[k - 1]);
      assertThat(Arrays.equals(hybrid.w(k).data, hiddenByEq6.w(k).data)).as("W^%d differs from eq. 6's", k).isFalse();
    }
    for (int k = 1; k < n && modelB; k++) {
      assertThat(hybrid.omega(k).data).as("Omega^%d after the ghost fit", k).containsExactly(own.omega(k).data);
    }
  }
}
