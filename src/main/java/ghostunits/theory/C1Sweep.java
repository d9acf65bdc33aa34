package ghostunits.theory;

import ghostunits.dynamics.Equilibrium;
import ghostunits.model.Layers;
import ghostunits.model.Mlp;
import ghostunits.model.NetworkSpec;
import ghostunits.numeric.Backend;
import ghostunits.numeric.ScalarField;
import ghostunits.plasticity.LocalRules;

/**
 * C1: eq. 6 at the nudged equilibrium is SGD on the MLP cost, dW^k(beta) = -eta dC/dW^k + O(beta),
 * for both forms of the rule. Measured with eta = 1, so -dW^k is the gradient estimate.
 */
public final class C1Sweep {
  private C1Sweep() {}

  /** The two forms of eq. 6. */
  public enum Rule {
    /** (eta/beta) (rho(s^k) - rho(W^k r^{k-1})) (r^{k-1})^T: rates only, what a neuron can compute. */
    RATE_DIFFERENCE,
    /** (eta/beta) (rho'(s^k) * e^k) (r^{k-1})^T. */
    FIRST_ORDER
  }

  /** |-dW^k - dC/dW^k| / |dC/dW^k| (max-norms over the entries) per layer and beta, eta = 1. */
  public static <S, V, M> Sweep gradientError(Backend<S, V, M> be, NetworkSpec spec, Rule rule, double[] betas) {
    Probe<S, V, M> p = new Probe<>(be, spec);
    ScalarField<S> f = be.scalars();
    Layers<M> gradient = Mlp.gradients(p.model, p.mlp, p.delta);
    double[][] err = new double[p.net.depth()][betas.length];
    for (int i = 0; i < betas.length; i++) {
      Equilibrium<S, V> eq = p.equilibrium(betas[i]);
      Layers<M> dw = rule == Rule.RATE_DIFFERENCE
          ? LocalRules.weightUpdateRateDifference(p.net, eq.state(), p.x, f.one(), p.beta(betas[i]))
          : LocalRules.weightUpdateFirstOrder(p.net, eq.state(), eq.errors(), p.x, f.one(), p.beta(betas[i]));
      for (int k = 1; k <= p.net.depth(); k++) {
        // -dW - G = -(dW + G): the sign does not change the norm.
        S diff = be.matNormMax(be.matPlus(dw.at(k), gradient.at(k)));
        err[k - 1][i] = f.toDouble(f.divide(diff, be.matNormMax(gradient.at(k))));
      }
    }
    String form = rule == Rule.RATE_DIFFERENCE ? "rate-difference" : "first-order";
    return new Sweep("C1", "|-dW - dC/dW| / |dC/dW|, " + form + " eq. 6, eta = 1", p.precision(), betas.clone(), err);
  }

  /** max|dC/dW^k| per layer (entry k - 1): the scale of the estimate, for its rounding floor. */
  public static <S, V, M> double[] gradientNorms(Backend<S, V, M> be, NetworkSpec spec) {
    Probe<S, V, M> p = new Probe<>(be, spec);
    Layers<M> gradient = Mlp.gradients(p.model, p.mlp, p.delta);
    double[] norms = new double[p.net.depth()];
    for (int k = 1; k <= p.net.depth(); k++) {
      norms[k - 1] = be.scalars().toDouble(be.matNormMax(gradient.at(k)));
    }
    return norms;
  }
}
