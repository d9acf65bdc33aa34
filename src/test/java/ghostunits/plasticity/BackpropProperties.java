package ghostunits.plasticity;

import static org.assertj.core.api.Assertions.assertThat;

import ghostunits.model.Feedback;
import ghostunits.model.Layers;
import ghostunits.model.Mlp;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.RandomMatrices_DDRM;

/**
 * The baseline is backprop: its MSE step is -eta times the batch mean of Mlp.gradients (the
 * reference), and for both costs it is -eta times the gradient of the batch-mean cost measured by
 * central differences (independent of every formula in the code).
 */
class BackpropProperties {
  /**
   * Central differences with step h = 1e-5 on f, the batch-mean cost: truncation h^2/6 max|f'''| and
   * rounding about 4 eps |f| / h. Weights U(-1, 1), widths <= 6, inputs in (0, 1): |f| < 10 and the
   * third derivatives are at most a few hundred, so the error is below 1e-8 (measured: the largest
   * |step gradient - central difference| over 592,135 random cases of each cost, drawn as here, was
   * 2.8e-10, 360 times below the tolerance; 90 s of this loop, 2026-12-01). A wrong output error
   * (MSE's rho' factor in BCE, or none in MSE) moves the output-layer entries by a fraction of their
   * size, which the last assertion shows to be far above the tolerance.
   */
  private static final double FD_STEP = 1e-5;
  private static final double FD_TOLERANCE = 1e-7;

  @Property(tries = 60)
  void stepIsMinusEtaTimesTheFiniteDifferenceGradient(@ForAll long seed, @ForAll Backprop.Cost cost,
      @ForAll @IntRange(min = 1, max = 2) int hidden, @ForAll @IntRange(min = 1, max = 4) int batch) {
    Case t = Case.random(seed, hidden, 6, batch);
    DenseNetwork net = t.net();
    DMatrixRMaj[] xy = t.xy();
    double[] eta = t.eta();
    DenseNetwork stepped = net.copy();
    Backprop.step(stepped, xy[0], xy[1], eta, cost);
    double largestOutputEntry = 0;
    for (int k = 1; k <= net.depth(); k++) {
      DMatrixRMaj wk = net.w(k);
      for (int i = 0; i < wk.data.length; i++) {
        double[] plusMinus = new double[2];
        for (int side = 0; side < 2; side++) {
          DenseNetwork probe = net.copy();
          DMatrixRMaj bump = new DMatrixRMaj(wk.numRows, wk.numCols);
          bump.data[i] = side == 0 ? FD_STEP : -FD_STEP;
          probe.addToW(k, bump);
          plusMinus[side] = meanCost(probe, xy[0], xy[1], cost);
        }
        double gradient = (plusMinus[0] - plusMinus[1]) / (2 * FD_STEP);
        double stepGradient = (stepped.w(k).data[i] - wk.data[i]) / -eta[k - 1];
        assertThat(Math.abs(stepGradient - gradient)).as("dC/dW^%d entry %d (%s)", k, i, cost)
            .isLessThanOrEqualTo(FD_TOLERANCE);
        if (k == net.depth()) {
          largestOutputEntry = Math.max(largestOutputEntry, Math.abs(gradient));
        }
      }
    }
    // The check has teeth: the output layer's gradient is far above the tolerance.
    assertThat(largestOutputEntry).isGreaterThan(1e3 * FD_TOLERANCE);
  }

  /** A random network (widths 1..maxWidth, weights U(-1, 1)), a batch with one-hot targets, rates in [0.1, 1.1). */
  private record Case(DenseNetwork net, DMatrixRMaj[] xy, double[] eta) {
    static Case random(long seed, int hidden, int maxWidth, int batch) {
      Random rng = new Random(seed);
      int[] w = new int[hidden + 2];
      for (int i = 0; i < w.length; i++) {
        w[i] = 1 + rng.nextInt(maxWidth);
      }
      TrainConfig c = Fixtures.config("MA", Feedback.TF, w, Arrays.copyOfRange(w, 2, w.length), 1.0, 1,
          batch);
      DenseNetwork net = DenseNetwork.initial(c, rng);
      DMatrixRMaj[] xy = Fixtures.batch(rng, w[0], w[w.length - 1], batch);
      double[] eta = new double[hidden + 1];
      for (int k = 0; k < eta.length; k++) {
        eta[k] = 0.1 + rng.nextDouble();
      }
      return new Case(net, xy, eta);
    }
  }

  /** The batch-mean cost of the feedforward graph, written out here from the definitions. */
  private static double meanCost(DenseNetwork net, DMatrixRMaj x, DMatrixRMaj y, Backprop.Cost cost) {
    DMatrixRMaj r = x;
    for (int k = 1; k <= net.depth(); k++) {
      DMatrixRMaj s = new DMatrixRMaj(net.width(k), x.numCols);
      CommonOps_DDRM.mult(net.w(k), r, s);
      for (int i = 0; i < s.data.length; i++) {
        s.data[i] = 1 / (1 + Math.exp(-s.data[i]));
      }
      r = s;
    }
    double sum = 0;
    for (int i = 0; i < r.data.length; i++) {
      double ri = r.data[i];
      double yi = y.data[i];
      sum += cost == Backprop.Cost.MSE
          ? 0.5 * (ri - yi) * (ri - yi)
          : -(yi * Math.log(ri) + (1 - yi) * Math.log(1 - ri));
    }
    return sum / x.numCols;
  }

  @Property(tries = 50)
  void stepIsMinusEtaTimesTheMeanGradient(@ForAll long seed, @ForAll @IntRange(min = 1, max = 2) int hidden,
      @ForAll @IntRange(min = 1, max = 5) int batch) {
    Case t = Case.random(seed, hidden, 8, batch);
    DenseNetwork net = t.net();
    DMatrixRMaj[] xy = t.xy();
    double[] eta = t.eta();
    DenseNetwork stepped = net.copy();
    Backprop.step(stepped, xy[0], xy[1], eta);
    Layers<DMatrixRMaj> wl = Fixtures.reference(net).weights().w();
    for (int k = 1; k <= net.depth(); k++) {
      DMatrixRMaj expected = net.w(k).copy();
      for (int j = 0; j < batch; j++) {
        Mlp.Forward<double[]> fwd = Mlp.forward(Fixtures.MODEL, wl, Fixtures.column(xy[0], j));
        Layers<double[]> deltas = Mlp.deltas(Fixtures.MODEL, wl, fwd, Fixtures.column(xy[1], j));
        CommonOps_DDRM.addEquals(expected, -eta[k - 1] / batch,
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

  /**
   * Feedback alignment: the FA step is -eta times the batch mean of the reference gradients built
   * from Mlp.deltasFeedbackAlignment with the network's fixed B^k (MSE), and with B^k set to
   * (W^{k+1})^T it is the backprop step of either cost (which the finite differences above pin).
   */
  @Property(tries = 50)
  void feedbackAlignmentStepSendsTheErrorDownThroughB(@ForAll long seed, @ForAll Backprop.Cost cost,
      @ForAll @IntRange(min = 1, max = 2) int hidden, @ForAll @IntRange(min = 1, max = 5) int batch) {
    Case t = Case.random(seed, hidden, 8, batch);
    DenseNetwork tf = t.net();
    DMatrixRMaj[] xy = t.xy();
    double[] eta = t.eta();
    int n = tf.depth();
    Random rng = new Random(seed + 1);
    DMatrixRMaj[] w = new DMatrixRMaj[n];
    DMatrixRMaj[] randomB = new DMatrixRMaj[n - 1];
    DMatrixRMaj[] transposes = new DMatrixRMaj[n - 1];
    for (int k = 1; k <= n; k++) {
      w[k - 1] = tf.w(k).copy();
      if (k < n) {
        randomB[k - 1] = RandomMatrices_DDRM.rectangle(tf.width(k), tf.width(k + 1), -1, 1, rng);
        transposes[k - 1] = CommonOps_DDRM.transpose(tf.w(k + 1), null);
      }
    }
    int[] ghosts = Arrays.copyOfRange(tf.widths(), 2, n + 1);
    DenseNetwork fa = DenseNetwork.of(true, Feedback.FA, tf.widths(), ghosts, w, randomB, new DMatrixRMaj[0],
        new DMatrixRMaj[0]);
    DenseNetwork faAsTf = DenseNetwork.of(true, Feedback.FA, tf.widths(), ghosts, w, transposes, new DMatrixRMaj[0],
        new DMatrixRMaj[0]);

    DenseNetwork tfStepped = tf.copy();
    Backprop.step(tfStepped, xy[0], xy[1], eta, cost);
    Backprop.step(faAsTf, xy[0], xy[1], eta, cost, Feedback.FA);
    for (int k = 1; k <= n; k++) {
      assertThat(faAsTf.w(k).data).as("W^%d, FA with B = W^T (%s)", k, cost).containsExactly(tfStepped.w(k).data,
          org.assertj.core.data.Offset.offset(0.0));
    }
    if (cost != Backprop.Cost.MSE) {
      return;
    }
    DenseNetwork faStepped = fa.copy();
    Backprop.step(faStepped, xy[0], xy[1], eta, Backprop.Cost.MSE, Feedback.FA);
    Layers<DMatrixRMaj> wl = Fixtures.reference(fa).weights().w();
    Layers<DMatrixRMaj> bl = Layers.of(1, Arrays.asList(randomB));
    boolean lowerLayersDiffer = false;
    for (int k = 1; k <= n; k++) {
      DMatrixRMaj expected = fa.w(k).copy();
      for (int j = 0; j < batch; j++) {
        Mlp.Forward<double[]> fwd = Mlp.forward(Fixtures.MODEL, wl, Fixtures.column(xy[0], j));
        Layers<double[]> deltas = Mlp.deltasFeedbackAlignment(Fixtures.MODEL, bl, fwd, Fixtures.column(xy[1], j));
        CommonOps_DDRM.addEquals(expected, -eta[k - 1] / batch,
            Mlp.gradients(Fixtures.MODEL, fwd, deltas).at(k));
      }
      for (int i = 0; i < expected.data.length; i++) {
        // As for backprop above, with |B| <= 1 in place of |W| <= 1.
        assertThat(Math.abs(faStepped.w(k).data[i] - expected.data[i])).as("W^%d entry %d", k, i)
            .isLessThanOrEqualTo(64 * Math.ulp(1.0) * (1 + Math.abs(expected.data[i])) * (1 + eta[k - 1] * 16));
        lowerLayersDiffer |= k < n && Math.abs(faStepped.w(k).data[i] - tfStepped.w(k).data[i]) > 1e-9;
      }
    }
    // The check has teeth: below the top layer, a random B moves the step away from backprop's.
    assertThat(lowerLayersDiffer).isTrue();
  }

  @org.junit.jupiter.api.Test
  void feedbackAlignmentNeedsTheNetworksB() {
    Case t = Case.random(1, 1, 4, 2);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Backprop.step(t.net(), t.xy()[0], t.xy()[1], t.eta(),
        Backprop.Cost.MSE, Feedback.FA)).isInstanceOf(TrainingException.class)
        .hasMessage("feedback-alignment backprop needs the network's B^k, but its feedback is TF");
  }
}
