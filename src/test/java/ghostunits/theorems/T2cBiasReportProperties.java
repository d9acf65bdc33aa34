package ghostunits.theorems;

import static org.assertj.core.api.Assertions.assertThat;

import ghostunits.dynamics.State;
import ghostunits.model.Feedback;
import ghostunits.model.ModelB;
import ghostunits.model.Weights;
import ghostunits.numeric.DoubleBackend;
import ghostunits.testing.ModelBNetworks;
import ghostunits.theory.ModelBBias;
import ghostunits.theory.Probe;
import ghostunits.theory.T2Sweep;
import ghostunits.theory.Theorem2;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.NormOps_DDRM;
import org.ejml.dense.row.SingularOps_DDRM;

/**
 * The numbers the {@code model-b-bias} report prints for T2c ({@link ModelBBias}), recomputed here
 * from their definitions with plain loops and EJML: the relative errors of eps^k against -delta^k
 * (max- and 2-norm), of the weight update (rho'(s^k) * eps^k)(r^{k-1})^T against the backprop
 * gradient (explicit outer products, Frobenius), of the whole gradient (all layers stacked), and the
 * sizes of M^k = (B^k D^{k+1} W^{k+1} - Omega^k G^k Gamma^k) D^k built as dense products. That eps
 * itself is the linear response is T2cProperties' claim; this checks the report's arithmetic on it.
 * Under FA, delta is feedback alignment's (through the fixed B^k), what the network approximates.
 */
class T2cBiasReportProperties {
  static final DoubleBackend D = DoubleBackend.INSTANCE;
  /** The report and this test sum in different orders; on these small networks that moves ratios by ~1e-15. */
  static final double REL = 1e-11;

  @Property(tries = 60)
  void reportQuantitiesMatchTheirDefinitions(@ForAll("networks") ModelB spec) {
    Probe<Double, double[], DMatrixRMaj> p = T2Sweep.cancelled(D, spec);
    ModelBBias.Bias bias = ModelBBias.of(p);
    Theorem2.Analysis<double[], DMatrixRMaj> an = Theorem2.analyse(p);
    State<double[]> free = p.equilibrium(0.0).state();
    Weights<DMatrixRMaj> w = p.net.weights();
    int n = p.net.depth();
    // One entry per hidden layer in every per-layer array (the report prints them all).
    for (double[] perLayer : new double[][] {bias.maxNorm(), bias.twoNorm(), bias.gradient(), bias.mismatchInf(),
        bias.mismatchTwo(), bias.mismatchOnDelta(), bias.feedbackLoopOnDelta(), bias.ghostLoopOnDelta()}) {
      assertThat(perLayer).hasSize(n - 1);
    }
    double num = 0;
    double den = 0;
    for (int k = 1; k <= n; k++) {
      double[] eps = an.response().eps().at(k);
      double[] delta = (spec.base().feedback() == Feedback.TF ? p.delta : p.deltaFa).at(k);
      double[] miss = new double[eps.length];
      for (int i = 0; i < miss.length; i++) {
        miss[i] = eps[i] + delta[i];
      }
      double[] slope = slope(p.mlp.s().at(k));
      double[] below = p.mlp.r().at(k - 1);
      DMatrixRMaj update = outer(times(slope, eps), below);
      DMatrixRMaj backprop = outer(times(slope, delta), below);
      CommonOps_DDRM.scale(-1, backprop);
      DMatrixRMaj diff = new DMatrixRMaj(update.numRows, update.numCols);
      CommonOps_DDRM.subtract(update, backprop, diff);
      double dn = CommonOps_DDRM.elementSumAbs(elementSquare(diff));
      double rn = CommonOps_DDRM.elementSumAbs(elementSquare(backprop));
      num += dn;
      den += rn;
      if (k == n) {
        break;
      }
      String at = spec + " layer " + k;
      close(at + " max-norm", bias.maxNorm()[k - 1], maxAbs(miss) / maxAbs(delta));
      close(at + " 2-norm", bias.twoNorm()[k - 1], norm2(miss) / norm2(delta));
      close(at + " gradient", bias.gradient()[k - 1], Math.sqrt(dn / rn));

      DMatrixRMaj feedback = product(w.b().at(k), diag(slope(free.s().at(k + 1))), w.w().at(k + 1),
          diag(slope(free.s().at(k))));
      DMatrixRMaj ghost = product(w.omega().at(k), diag(slope(free.g().at(k))), w.gamma().at(k),
          diag(slope(free.s().at(k))));
      DMatrixRMaj m = new DMatrixRMaj(feedback.numRows, feedback.numCols);
      CommonOps_DDRM.subtract(feedback, ghost, m);
      close(at + " ||M||_inf", bias.mismatchInf()[k - 1], NormOps_DDRM.inducedPInf(m));
      close(at + " |M delta|/|delta|", bias.mismatchOnDelta()[k - 1], norm2(apply(m, delta)) / norm2(delta));
      close(at + " feedback loop on delta", bias.feedbackLoopOnDelta()[k - 1],
          norm2(apply(feedback, delta)) / norm2(delta));
      close(at + " ghost loop on delta", bias.ghostLoopOnDelta()[k - 1], norm2(apply(ghost, delta)) / norm2(delta));

      // ||M||_2 is a power-iteration estimate: never above the largest singular value, never below
      // its first iterate |M 1|/|1| (the iterates increase), and equal to it when the top two
      // singular values are apart (ratio <= 0.9: 300 iterations shrink the error by 0.81^300).
      double[] sv = SingularOps_DDRM.singularValues(m);
      java.util.Arrays.sort(sv);
      double top = sv[sv.length - 1];
      double second = sv.length > 1 ? sv[sv.length - 2] : 0;
      double estimate = bias.mismatchTwo()[k - 1];
      double[] ones = new double[m.numCols];
      java.util.Arrays.fill(ones, 1.0);
      assertThat(estimate).as(at + " ||M||_2 estimate vs sigma_max " + top).isLessThanOrEqualTo(top * (1 + REL));
      assertThat(estimate).as(at + " ||M||_2 estimate vs first iterate")
          .isGreaterThanOrEqualTo(norm2(apply(m, ones)) / norm2(ones) * (1 - REL));
      if (second <= 0.9 * top) {
        close(at + " ||M||_2, sigma_2/sigma_1 = " + second / top, estimate, top);
      }
    }
    close(spec + " whole gradient", bias.wholeGradient(), Math.sqrt(num / den));
  }

  private static void close(String what, double got, double want) {
    assertThat(Double.isFinite(got)).as(what + " finite: " + got).isTrue();
    assertThat(Math.abs(got - want)).as(what + ": report " + got + ", definition " + want)
        .isLessThanOrEqualTo(REL * Math.abs(want) + 1e-300);
  }

  private static double[] slope(double[] s) {
    double[] d = new double[s.length];
    for (int i = 0; i < s.length; i++) {
      double r = 1 / (1 + Math.exp(-s[i]));
      d[i] = r * (1 - r);
    }
    return d;
  }

  private static double[] times(double[] a, double[] b) {
    double[] c = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      c[i] = a[i] * b[i];
    }
    return c;
  }

  private static DMatrixRMaj outer(double[] u, double[] v) {
    DMatrixRMaj o = new DMatrixRMaj(u.length, v.length);
    for (int i = 0; i < u.length; i++) {
      for (int j = 0; j < v.length; j++) {
        o.set(i, j, u[i] * v[j]);
      }
    }
    return o;
  }

  private static DMatrixRMaj elementSquare(DMatrixRMaj a) {
    DMatrixRMaj s = new DMatrixRMaj(a.numRows, a.numCols);
    CommonOps_DDRM.elementMult(a, a, s);
    return s;
  }

  private static DMatrixRMaj diag(double[] d) {
    return CommonOps_DDRM.diag(d);
  }

  private static DMatrixRMaj product(DMatrixRMaj... factors) {
    DMatrixRMaj acc = factors[0];
    for (int i = 1; i < factors.length; i++) {
      DMatrixRMaj next = new DMatrixRMaj(acc.numRows, factors[i].numCols);
      CommonOps_DDRM.mult(acc, factors[i], next);
      acc = next;
    }
    return acc;
  }

  private static double[] apply(DMatrixRMaj m, double[] v) {
    double[] out = new double[m.numRows];
    for (int i = 0; i < m.numRows; i++) {
      for (int j = 0; j < m.numCols; j++) {
        out[i] += m.get(i, j) * v[j];
      }
    }
    return out;
  }

  private static double maxAbs(double[] v) {
    double m = 0;
    for (double x : v) {
      m = Math.max(m, Math.abs(x));
    }
    return m;
  }

  private static double norm2(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x * x;
    }
    return Math.sqrt(s);
  }

  /** TF and FA: under FA the report compares with feedback alignment's delta (through the fixed B^k). */
  @Provide
  Arbitrary<ModelB> networks() {
    return Arbitraries.oneOf(ModelBNetworks.random(Feedback.TF), ModelBNetworks.random(Feedback.FA));
  }
}
