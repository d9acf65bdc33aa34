package ghostunits.theory;

import ghostunits.dynamics.Equilibrium;
import ghostunits.dynamics.State;
import ghostunits.model.Layers;
import ghostunits.model.NetworkSpec;
import ghostunits.numeric.Backend;

/**
 * IDENT (Model A, any beta): at every equilibrium g^k = s^{k+1} - e^{k+1} and
 * e^k = B^k (rho(s^{k+1}) - rho(s^{k+1} - e^{k+1})), k = 1..N-1. Measured at the Newton
 * equilibrium of each beta; the sweeps have one row per hidden layer (entry k - 1 is layer k).
 */
public final class IdentSweep {
  private IdentSweep() {}

  /**
   * The defects of both identities, the size |e^{k+1}| of the shift they check, and per beta the
   * max-norm of the field (the equilibrium residual, recomputed here) and of the state.
   */
  public record Ident(Sweep ghostDefect, Sweep errorDefect, Sweep shift, double[] residuals, double[] stateNorms) {}

  public static <S, V, M> Ident measure(Backend<S, V, M> be, NetworkSpec spec, double[] betas) {
    Probe<S, V, M> p = new Probe<>(be, spec);
    int hidden = p.net.depth() - 1;
    double[][] ghost = new double[hidden][betas.length];
    double[][] error = new double[hidden][betas.length];
    double[][] shift = new double[hidden][betas.length];
    double[] residuals = new double[betas.length];
    double[] stateNorms = new double[betas.length];
    for (int i = 0; i < betas.length; i++) {
      Equilibrium<S, V> eq = p.equilibrium(betas[i]);
      State<V> z = eq.state();
      Layers<V> e = eq.errors();
      residuals[i] = p.norm(p.net.flatten(p.net.field(z, p.stimulus(betas[i]))));
      stateNorms[i] = p.norm(p.net.flatten(z));
      for (int k = 1; k <= hidden; k++) {
        V s = z.s().at(k + 1);
        V below = be.minus(s, e.at(k + 1));
        ghost[k - 1][i] = p.norm(be.minus(z.g().at(k), below));
        V predicted = be.times(p.net.weights().b().at(k), be.minus(p.model.rho(s), p.model.rho(below)));
        error[k - 1][i] = p.norm(be.minus(e.at(k), predicted));
        shift[k - 1][i] = p.norm(e.at(k + 1));
      }
    }
    return new Ident(
        new Sweep("IDENT", "|g^k - (s^{k+1} - e^{k+1})|", p.precision(), betas.clone(), ghost),
        new Sweep("IDENT", "|e^k - B^k (rho(s^{k+1}) - rho(s^{k+1} - e^{k+1}))|", p.precision(), betas.clone(), error),
        new Sweep("IDENT", "|e^{k+1}|", p.precision(), betas.clone(), shift),
        residuals, stateNorms);
  }
}
