package ghostunits.theory;

import ghostunits.model.NetworkSpec;
import ghostunits.numeric.Backend;

/** C-FA: with fixed feedback B (FA), e^k(beta)/beta = -delta_FA^k + O(beta). */
public final class CfaSweep {
  private CfaSweep() {}

  /** |e^k/beta + delta_FA^k| / |delta_FA^k| per layer and beta. */
  public static <S, V, M> Sweep errorOverBeta(Backend<S, V, M> be, NetworkSpec spec, double[] betas) {
    Probe<S, V, M> p = new Probe<>(be, spec);
    return T1Sweep.quotientAgainst(p, p.deltaFa, betas, "C-FA", "|e/beta + delta_FA| / |delta_FA|");
  }

  /** max|delta_FA^k| per layer (entry k - 1): the scale of the quotient, for its rounding floor. */
  public static <S, V, M> double[] faDeltaNorms(Backend<S, V, M> be, NetworkSpec spec) {
    Probe<S, V, M> p = new Probe<>(be, spec);
    double[] norms = new double[p.net.depth()];
    for (int k = 1; k <= p.net.depth(); k++) {
      norms[k - 1] = p.norm(p.deltaFa.at(k));
    }
    return norms;
  }
}
