package ghostunits.theory;

import ghostunits.model.Layers;
import ghostunits.model.Mlp;
import ghostunits.numeric.Backend;
import ghostunits.numeric.ScalarField;

/**
 * The bias of Model B's teaching signal against backprop for one network and example (T2c), in the
 * forms a report compares with the paper's "up to 7% relative error": per hidden layer the
 * relative error of eps^k against -delta^k (max-norm and 2-norm) and of the weight update
 * (rho'(s^k) * eps^k) (r^{k-1})^T against the backprop gradient (Frobenius), the relative error of
 * the whole gradient (all layers stacked), and the size of the mismatch M^k. Under FA, delta is
 * feedback alignment's (through the fixed B^k) and "gradient" its update, what the network
 * approximates there (C-FA).
 */
public final class ModelBBias {
  private ModelBBias() {}

  /**
   * Per hidden layer k (entry k - 1) and for the whole gradient.
   *
   * @param maxNorm |eps^k + delta^k|_inf / |delta^k|_inf
   * @param twoNorm |eps^k + delta^k|_2 / |delta^k|_2
   * @param gradient ||dW^k(eps) - dW^k(-delta)||_F / ||dW^k(-delta)||_F
   * @param wholeGradient the same over all layers' gradients stacked (the output layer has no bias)
   * @param mismatchInf ||M^k||_inf (max row sum)
   * @param mismatchTwo ||M^k||_2 (power-iteration estimate)
   * @param mismatchOnDelta |M^k delta^k|_2 / |delta^k|_2
   * @param feedbackLoopOnDelta |B^k D^{k+1} W^{k+1} D^k delta^k|_2 / |delta^k|_2
   * @param ghostLoopOnDelta |Omega^k G^k Gamma^k D^k delta^k|_2 / |delta^k|_2
   */
  public record Bias(double[] maxNorm, double[] twoNorm, double[] gradient, double wholeGradient,
      double[] mismatchInf, double[] mismatchTwo, double[] mismatchOnDelta, double[] feedbackLoopOnDelta,
      double[] ghostLoopOnDelta) {}

  /**
   * Bias of the network in the probe (Omega must already cancel the feedback for its example),
   * against backprop's delta^k under TF and feedback alignment's delta_FA^k (through the network's
   * fixed B^k) under FA, the signal Theorem 2 compares with in each case.
   */
  public static <S, V, M> Bias of(Probe<S, V, M> p) {
    return of(p, Theorem2.analyse(p));
  }

  /** The same from an analysis of the probe already made (it holds the free state and eps). */
  public static <S, V, M> Bias of(Probe<S, V, M> p, Theorem2.Analysis<V, M> an) {
    Backend<S, V, M> b = p.backend;
    ScalarField<S> f = b.scalars();
    int n = p.net.depth();
    Mlp.Forward<V> fwd = p.mlp;
    double[] maxNorm = new double[n - 1];
    double[] twoNorm = new double[n - 1];
    double[] grad = new double[n - 1];
    double[] mInf = new double[n - 1];
    double[] mTwo = new double[n - 1];
    double[] mDelta = new double[n - 1];
    double[] fDelta = new double[n - 1];
    double[] gDelta = new double[n - 1];
    Theorem2.Loops<M> loops = Theorem2.loops(p.net, an.free());
    double num = 0;
    double den = 0;
    Layers<V> delta = p.signal();
    for (int k = 1; k <= n; k++) {
      V miss = b.minus(an.response().eps().at(k), an.target().at(k));
      V dk = p.model.rhoPrime(fwd.s().at(k));
      double r2 = f.toDouble(b.dot(fwd.r().at(k - 1), fwd.r().at(k - 1)));
      double gMiss = sq(b, b.hadamard(dk, miss)) * r2;
      double gRef = sq(b, b.hadamard(dk, delta.at(k))) * r2;
      num += gMiss;
      den += gRef;
      if (k < n) {
        maxNorm[k - 1] = an.bias()[k - 1];
        twoNorm[k - 1] = Math.sqrt(sq(b, miss) / sq(b, delta.at(k)));
        grad[k - 1] = Math.sqrt(gMiss / gRef);
        mInf[k - 1] = f.toDouble(Theorem2.normInf(b, an.mismatch().at(k)));
        mTwo[k - 1] = Theorem2.normTwoEstimate(b, an.mismatch().at(k), 300);
        double d2 = sq(b, delta.at(k));
        mDelta[k - 1] = Math.sqrt(sq(b, b.times(an.mismatch().at(k), delta.at(k))) / d2);
        fDelta[k - 1] = Math.sqrt(sq(b, b.times(loops.feedback().at(k), delta.at(k))) / d2);
        gDelta[k - 1] = Math.sqrt(sq(b, b.times(loops.ghost().at(k), delta.at(k))) / d2);
      }
    }
    return new Bias(maxNorm, twoNorm, grad, Math.sqrt(num / den), mInf, mTwo, mDelta, fDelta, gDelta);
  }

  private static <S, V, M> double sq(Backend<S, V, M> b, V v) {
    return b.scalars().toDouble(b.dot(v, v));
  }
}
