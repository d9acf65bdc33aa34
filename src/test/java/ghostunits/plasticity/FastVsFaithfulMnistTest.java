package ghostunits.plasticity;

import ghostunits.data.Mnist;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Fast vs faithful at the paper's size (784-500-10, the Table 1 configs) on real MNIST examples,
 * at the initial weights and after 30 fast MA steps (1000 MB steps) (bigger weights), with the tolerance of
 * {@link FastVsFaithful}. Prints the measured numbers (kept in reports/table1.md).
 */
class FastVsFaithfulMnistTest {
  @ParameterizedTest
  @ValueSource(strings = {"MA-TF-500", "MA-FA-500", "MB-TF-500", "MB-FA-500"})
  void paperSizedNetwork(String row) {
    TrainConfig c = TrainConfig.load(Path.of("configs/table1/" + row + ".json"));
    Mnist.Split train = Mnist.open(Mnist.defaultDir()).paperTrain().first(3100);
    DenseNetwork net = DenseNetwork.initial(c, new Random(1));
    int[] order = Trainer.order(1, 1, train.size());
    int b = c.isModelA() ? 4 : 1;
    Trainer fast = new Trainer(c, Trainer.Path.FAST);
    for (int phase = 0; phase < 2; phase++) {
      DMatrixRMaj[] xy = Trainer.batch(train, order, 3000, b);
      FastVsFaithful.Outcome o = FastVsFaithful.compare(c, net, xy[0], xy[1]);
      System.out.printf(Locale.ROOT, "%s %s: |z_Euler - z_fast| = %.2e, Euler residual %.2e, kappa %.2f;"
          + " dW diff %s, bound %s, |dW| %s%n", row, phase == 0 ? "initial weights" : "after some steps",
          o.stateDistance(), o.eulerResidual(), o.kappa(), fmt(o.updateDiff()), fmt(o.updateBound()), fmt(o.updateSize()));
      int steps = c.isModelA() ? 30 : 1000;
      for (int i = 0; i < steps; i++) {
        DMatrixRMaj[] t = Trainer.batch(train, order, (i * c.batch()) % 3000, c.batch());
        fast.step(net, t[0], t[1]);
      }
    }
  }

  private static String fmt(double[] v) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < v.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2e", v[i]));
    }
    return sb.append(']').toString();
  }
}
