package ghostunits.theory;

import ghostunits.dynamics.Equilibrium;
import ghostunits.dynamics.HeldLowerLayers;
import ghostunits.model.Layers;
import ghostunits.model.Model;
import ghostunits.model.ModelB;
import ghostunits.model.Weights;
import ghostunits.numeric.Backend;
import ghostunits.plasticity.FastGhostCancellation;

/**
 * Theorem 2 (Model B) over a sweep of betas, on a network whose Omega^k has been fitted to the
 * example by the fast rule's least-change solution (T2a's hypothesis, to working precision).
 */
public final class T2Sweep {
  private T2Sweep() {}

  /** The MB network in {@code be}, with Omega^k fitted to cancel the feedback for its example. */
  public static <S, V, M> Probe<S, V, M> cancelled(Backend<S, V, M> be, ModelB spec) {
    V x = spec.x(be);
    V y = spec.y(be);
    Weights<M> fitted = FastGhostCancellation.leastChange(Model.paper(be), spec.weights(be), x);
    return new Probe<S, V, M>(be, fitted, x, y);
  }

  /** -delta^k (TF) or -delta_FA^k (FA): the signal the theorem compares e^k/beta with. */
  public static <S, V, M> Layers<V> target(Probe<S, V, M> p) {
    return p.signal().map(p::negate);
  }

  /**
   * T2b: with s^1..s^{N-1}, g^1..g^{N-1} held at the free (MLP) state and s^N relaxed under
   * nudging, |e^{N-1}/beta - target^{N-1}| / |target^{N-1}|. One row (layer N-1).
   */
  public static <S, V, M> Sweep heldState(Backend<S, V, M> be, ModelB spec, double[] betas) {
    Probe<S, V, M> p = cancelled(be, spec);
    int top = p.net.depth() - 1;
    V target = target(p).at(top);
    double[][] err = new double[1][betas.length];
    for (int i = 0; i < betas.length; i++) {
      HeldLowerLayers.Result<S, V> held =
          HeldLowerLayers.relaxOutput(p.net, p.net.forwardState(p.x), p.stimulus(betas[i]));
      err[0][i] = p.relativeErrorOfQuotient(held.errors().at(top), p.beta(betas[i]), target);
    }
    return new Sweep("T2b", "layer N-1 = " + top + " held-state |e/beta - target| / |target|", p.precision(),
        betas.clone(), err);
  }

  /** T2c(a): at the true joint equilibrium, |e^k/beta - eps^k| / |eps^k| per layer. */
  public static <S, V, M> Sweep jointVersusLinearResponse(Backend<S, V, M> be, ModelB spec, double[] betas) {
    Probe<S, V, M> p = cancelled(be, spec);
    Layers<V> eps = LinearResponse.at(p.net, p.equilibrium(0.0), p.stimulus(0.0)).eps();
    return joint(p, eps, betas, "|e/beta - eps| / |eps| (eps: linear response)");
  }

  /** T2c(f): at the true joint equilibrium, |e^k/beta - target^k| / |target^k| per layer (a bias remains). */
  public static <S, V, M> Sweep jointVersusBackprop(Backend<S, V, M> be, ModelB spec, double[] betas) {
    Probe<S, V, M> p = cancelled(be, spec);
    return joint(p, target(p), betas, "|e/beta - target| / |target| (target: -delta, or -delta_FA under FA)");
  }

  /** max|eps^k| per layer (entry k - 1), the scale of the quotient for its rounding floor. */
  public static <S, V, M> double[] epsNorms(Backend<S, V, M> be, ModelB spec) {
    Probe<S, V, M> p = cancelled(be, spec);
    Layers<V> eps = LinearResponse.at(p.net, p.equilibrium(0.0), p.stimulus(0.0)).eps();
    double[] norms = new double[p.net.depth()];
    for (int k = 1; k <= norms.length; k++) {
      norms[k - 1] = p.norm(eps.at(k));
    }
    return norms;
  }

  /** max|target^k| per layer (entry k - 1): -delta^k, or -delta_FA^k under FA. */
  public static <S, V, M> double[] targetNorms(Backend<S, V, M> be, ModelB spec) {
    Probe<S, V, M> p = cancelled(be, spec);
    Layers<V> t = target(p);
    double[] norms = new double[p.net.depth()];
    for (int k = 1; k <= norms.length; k++) {
      norms[k - 1] = p.norm(t.at(k));
    }
    return norms;
  }

  private static <S, V, M> Sweep joint(Probe<S, V, M> p, Layers<V> limit, double[] betas, String quantity) {
    double[][] err = new double[p.net.depth()][betas.length];
    for (int i = 0; i < betas.length; i++) {
      Equilibrium<S, V> eq = p.equilibrium(betas[i]);
      for (int k = 1; k <= p.net.depth(); k++) {
        err[k - 1][i] = p.relativeErrorOfQuotient(eq.errors().at(k), p.beta(betas[i]), limit.at(k));
      }
    }
    return new Sweep("T2c", quantity, p.precision(), betas.clone(), err);
  }
}
