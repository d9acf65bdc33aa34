package ghostunits.theory;

import ghostunits.dynamics.Equilibrium;
import ghostunits.model.Layers;
import ghostunits.model.NetworkSpec;
import ghostunits.numeric.Backend;

/** T1: e^k(beta)/beta = -delta^k + O(beta), and s^k(beta) = s_hat^k + O(beta). */
public final class T1Sweep {
  private T1Sweep() {}

  /** |e^k/beta + delta^k| / |delta^k| per layer and beta. */
  public static <S, V, M> Sweep errorOverBeta(Backend<S, V, M> be, NetworkSpec spec, double[] betas) {
    Probe<S, V, M> p = new Probe<>(be, spec);
    return quotientAgainst(p, p.delta, betas, "T1", "|e/beta + delta| / |delta|");
  }

  /** |e^k/beta + target^k| / |target^k| per layer and beta: T1 (target delta) and C-FA (delta_FA). */
  static <S, V, M> Sweep quotientAgainst(
      Probe<S, V, M> p, Layers<V> target, double[] betas, String theorem, String quantity) {
    double[][] err = new double[p.net.depth()][betas.length];
    for (int i = 0; i < betas.length; i++) {
      Equilibrium<S, V> eq = p.equilibrium(betas[i]);
      for (int k = 1; k <= p.net.depth(); k++) {
        err[k - 1][i] = p.relativeErrorOfQuotient(eq.errors().at(k), p.beta(betas[i]), p.negate(target.at(k)));
      }
    }
    return new Sweep(theorem, quantity, p.precision(), betas.clone(), err);
  }

  /** |s^k(beta) - s_hat^k| per layer and beta. */
  public static <S, V, M> Sweep soma(Backend<S, V, M> be, NetworkSpec spec, double[] betas) {
    Probe<S, V, M> p = new Probe<>(be, spec);
    double[][] err = new double[p.net.depth()][betas.length];
    for (int i = 0; i < betas.length; i++) {
      Equilibrium<S, V> eq = p.equilibrium(betas[i]);
      for (int k = 1; k <= p.net.depth(); k++) {
        err[k - 1][i] = p.norm(be.minus(eq.state().s().at(k), p.mlp.s().at(k)));
      }
    }
    return new Sweep("T1", "|s(beta) - s_hat|", p.precision(), betas.clone(), err);
  }

  /** max|delta^k| per layer (entry k - 1): the scale of T1's quotient, for its rounding floor. */
  public static <S, V, M> double[] deltaNorms(Backend<S, V, M> be, NetworkSpec spec) {
    Probe<S, V, M> p = new Probe<>(be, spec);
    double[] norms = new double[p.net.depth()];
    for (int k = 1; k <= p.net.depth(); k++) {
      norms[k - 1] = p.norm(p.delta.at(k));
    }
    return norms;
  }
}
