package ghostunits.theory;

import ghostunits.dynamics.Equilibrium;
import ghostunits.dynamics.EquilibriumSolver;
import ghostunits.dynamics.GhostNetwork;
import ghostunits.dynamics.Stimulus;
import ghostunits.model.Feedback;
import ghostunits.model.Layers;
import ghostunits.model.Mlp;
import ghostunits.model.Model;
import ghostunits.model.NetworkSpec;
import ghostunits.model.Weights;
import ghostunits.numeric.Backend;
import ghostunits.numeric.ScalarField;

/**
 * A network and example instantiated in one backend, with the MLP quantities the theorems compare
 * against (forward pass, backprop delta, FA delta) computed once; nudged equilibria on demand.
 */
public final class Probe<S, V, M> {
  public final Backend<S, V, M> backend;
  public final Model<S, V, M> model;
  public final GhostNetwork<S, V, M> net;
  public final V x;
  public final V y;
  public final Mlp.Forward<V> mlp;
  /** Backprop delta^k (TF), k = 1..N. */
  public final Layers<V> delta;
  /** Feedback alignment's delta_FA^k with this network's B, k = 1..N. */
  public final Layers<V> deltaFa;

  public Probe(Backend<S, V, M> backend, NetworkSpec spec) {
    this(backend, spec.weights(backend), spec.x(backend), spec.y(backend));
  }

  /** Any weights (Model B, or MA with ghosts not yet learned), sigmoid units and squared error. */
  public Probe(Backend<S, V, M> backend, Weights<M> weights, V x, V y) {
    this.backend = backend;
    this.model = Model.paper(backend);
    this.net = new GhostNetwork<>(model, weights);
    this.x = x;
    this.y = y;
    this.mlp = Mlp.forward(model, net.weights().w(), x);
    this.delta = Mlp.deltas(model, net.weights().w(), mlp, y);
    this.deltaFa = Mlp.deltasFeedbackAlignment(model, net.weights().b(), mlp, y);
  }

  /**
   * The signal the network approximates: backprop's delta^k under TF, feedback alignment's
   * delta_FA^k under FA (what Theorem 2 and C-FA compare e^k/beta with, negated).
   */
  public Layers<V> signal() {
    return net.weights().feedback() == Feedback.TF ? delta : deltaFa;
  }

  public ScalarField<S> scalars() {
    return backend.scalars();
  }

  public S beta(double beta) {
    return backend.scalars().fromDouble(beta);
  }

  public Stimulus<S, V> stimulus(double beta) {
    return new Stimulus<>(x, y, beta(beta));
  }

  /** The equilibrium at this beta (Newton from the MLP state). */
  public Equilibrium<S, V> equilibrium(double beta) {
    return EquilibriumSolver.solve(net, stimulus(beta));
  }

  /** max|a| as a double. */
  public double norm(V a) {
    return backend.scalars().toDouble(backend.normMax(a));
  }

  /** ||a / beta - target|| / ||target|| (max-norms), computed at the backend's precision. */
  public double relativeErrorOfQuotient(V a, S beta, V target) {
    ScalarField<S> f = backend.scalars();
    V q = backend.scale(f.divide(f.one(), beta), a);
    S err = backend.normMax(backend.minus(q, target));
    return f.toDouble(f.divide(err, backend.normMax(target)));
  }

  public V negate(V a) {
    return backend.scale(backend.scalars().negate(backend.scalars().one()), a);
  }

  public String precision() {
    return backend.scalars().name();
  }
}
