package ghostunits.theory;

import ghostunits.dynamics.Equilibrium;
import ghostunits.model.NetworkSpec;
import ghostunits.numeric.Backend;

/**
 * SYM: the symmetric estimate (e^k(beta) - e^k(-beta)) / (2 beta) = -delta^k + O(beta^2), from the
 * equilibria nudged towards (+beta) and away from (-beta) the target.
 */
public final class SymSweep {
  private SymSweep() {}

  /** |(e^k(beta) - e^k(-beta)) / (2 beta) + delta^k| / |delta^k| per layer and beta (betas > 0). */
  public static <S, V, M> Sweep symmetric(Backend<S, V, M> be, NetworkSpec spec, double[] betas) {
    Probe<S, V, M> p = new Probe<>(be, spec);
    double[][] err = new double[p.net.depth()][betas.length];
    for (int i = 0; i < betas.length; i++) {
      if (!(betas[i] > 0)) {
        throw new IllegalArgumentException("SYM sweep: beta must be positive (the sweep adds -beta itself), got "
            + betas[i] + " at index " + i);
      }
      Equilibrium<S, V> plus = p.equilibrium(betas[i]);
      Equilibrium<S, V> minus = p.equilibrium(-betas[i]);
      for (int k = 1; k <= p.net.depth(); k++) {
        err[k - 1][i] = p.relativeErrorOfQuotient(be.minus(plus.errors().at(k), minus.errors().at(k)),
            p.beta(2 * betas[i]), p.negate(p.delta.at(k)));
      }
    }
    return new Sweep("SYM", "|(e(beta) - e(-beta))/(2 beta) + delta| / |delta|", p.precision(), betas.clone(), err);
  }
}
