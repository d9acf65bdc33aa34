package ghostunits.plasticity;

import static org.assertj.core.api.Assertions.assertThat;

import ghostunits.model.Feedback;
import ghostunits.model.Layers;
import ghostunits.model.Mlp;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.ejml.data.DMatrixRMaj;

/** The benchmark's baseline is backprop: its step is -eta times the batch mean of Mlp.gradients. */
class BackpropProperties {
  @Property(tries = 50)
  void stepIsMinusEtaTimesTheMeanGradient(@ForAll long seed, @ForAll @IntRange(min = 1, max = 2) int hidden,
      @ForAll @IntRange(min = 1, max = 5) int batch) {
    Random rng = new Random(seed);
    int[] w = new int[hidden + 2];
    for (int i = 0; i < w.length; i++) {
      w[i] = 1 + rng.nextInt(8);
    }
    TrainConfig c = Fixtures.config("MA", Feedback.TF, w, java.util.Arrays.copyOfRange(w, 2, w.length), 1.0, 1, batch);
    DenseNetwork net = DenseNetwork.initial(c, rng);
    DMatrixRMaj[] xy = Fixtures.batch(rng, w[0], w[w.length - 1], batch);
    double[] eta = new double[hidden + 1];
    for (int k = 0; k < eta.length; k++) {
      eta[k] = 0.1 + rng.nextDouble();
    }
    DenseNetwork stepped = net.copy();
    Backprop.step(stepped, xy[0], xy[1], eta);
    Layers<DMatrixRMaj> wl = Fixtures.reference(net).weights().w();
    for (int k = 1; k <= net.depth(); k++) {
      DMatrixRMaj expected = net.w(k).copy();
      for (int j = 0; j < batch; j++) {
        Mlp.Forward<double[]> fwd = Mlp.forward(Fixtures.MODEL, wl, Fixtures.column(xy[0], j));
        Layers<double[]> deltas = Mlp.deltas(Fixtures.MODEL, wl, fwd, Fixtures.column(xy[1], j));
        org.ejml.dense.row.CommonOps_DDRM.addEquals(expected, -eta[k - 1] / batch,
            Mlp.gradients(Fixtures.MODEL, fwd, deltas).at(k));
      }
      for (int i = 0; i < expected.data.length; i++) {
        // Gradient entries are at most 1 (rates, slopes <= 1/4, |delta| <= |W| sums): rounding of b
        // terms and one addition, relative to the entries involved.
        assertThat(Math.abs(stepped.w(k).data[i] - expected.data[i]))
            .isLessThanOrEqualTo(64 * Math.ulp(1.0) * (1 + Math.abs(expected.data[i])) * (1 + eta[k - 1] * 16));
      }
    }
  }
}
