package ghostunits.theorems;

import ghostunits.dynamics.Equilibrium;
import ghostunits.dynamics.EquilibriumSolver;
import ghostunits.dynamics.GhostNetwork;
import ghostunits.dynamics.Stimulus;
import ghostunits.model.Layers;
import ghostunits.model.Mlp;
import ghostunits.model.Model;
import ghostunits.model.NetworkSpec;
import ghostunits.numeric.Backend;
import ghostunits.testing.Measure;

/** T1, written once for both number systems: relative error of e^k/beta against -delta^k. */
final class T1Check {
  private T1Check() {}

  /** max-norm of delta^k, k = 1..N (entry k-1). */
  static <S, V, M> double[] deltaNorms(Backend<S, V, M> be, NetworkSpec spec) {
    Model<S, V, M> model = Model.paper(be);
    Layers<M> w = spec.weights(be).w();
    Mlp.Forward<V> fwd = Mlp.forward(model, w, spec.x(be));
    Layers<V> delta = Mlp.deltas(model, w, fwd, spec.y(be));
    double[] norms = new double[w.count()];
    for (int k = 1; k <= w.count(); k++) {
      norms[k - 1] = be.scalars().toDouble(be.normMax(delta.at(k)));
    }
    return norms;
  }

  /** errors[k-1][i]: layer k at betas[i]. */
  static <S, V, M> double[][] errors(Backend<S, V, M> be, NetworkSpec spec, double[] betas) {
    Model<S, V, M> model = Model.paper(be);
    GhostNetwork<S, V, M> net = new GhostNetwork<>(model, spec.weights(be));
    V x = spec.x(be);
    V y = spec.y(be);
    Mlp.Forward<V> fwd = Mlp.forward(model, net.weights().w(), x);
    Layers<V> minusDelta = Mlp.deltas(model, net.weights().w(), fwd, y)
        .map(d -> be.scale(be.scalars().negate(be.scalars().one()), d));
    double[][] err = new double[net.depth()][betas.length];
    for (int i = 0; i < betas.length; i++) {
      S beta = be.scalars().fromDouble(betas[i]);
      Equilibrium<S, V> eq = EquilibriumSolver.solve(net, new Stimulus<>(x, y, beta));
      for (int k = 1; k <= net.depth(); k++) {
        err[k - 1][i] = Measure.relativeErrorOfQuotient(be, eq.errors().at(k), beta, minusDelta.at(k));
      }
    }
    return err;
  }

  /** errors[k-1][i] = max |s^k(beta_i) - s_hat^k|. */
  static <S, V, M> double[][] somaErrors(Backend<S, V, M> be, NetworkSpec spec, double[] betas) {
    Model<S, V, M> model = Model.paper(be);
    GhostNetwork<S, V, M> net = new GhostNetwork<>(model, spec.weights(be));
    V x = spec.x(be);
    V y = spec.y(be);
    Mlp.Forward<V> fwd = Mlp.forward(model, net.weights().w(), x);
    double[][] err = new double[net.depth()][betas.length];
    for (int i = 0; i < betas.length; i++) {
      Equilibrium<S, V> eq = EquilibriumSolver.solve(net, new Stimulus<>(x, y, be.scalars().fromDouble(betas[i])));
      for (int k = 1; k <= net.depth(); k++) {
        err[k - 1][i] = Measure.maxAbsDiff(be, eq.state().s().at(k), fwd.s().at(k));
      }
    }
    return err;
  }
}
