package ghostunits.dynamics;

import ghostunits.model.Layers;
import ghostunits.model.Model;
import ghostunits.model.Weights;
import ghostunits.numeric.Backend;
import ghostunits.numeric.ScalarField;
import java.util.ArrayList;
import java.util.List;

/**
 * The ghost-unit network's dynamics (eq. 2 and 3, time in units of tau):
 *
 * <pre>
 *   ds^k/dt = -s^k + W^k r^{k-1} + e^k                  k = 1..N
 *   dg^k/dt = -g^k + Gamma^k r^k                         k = 1..N-1
 *   e^k     = B^k r^{k+1} - Omega^k rho(g^k)             k = 1..N-1
 *   e^N     = -beta dC/dr^N
 * </pre>
 *
 * with r^0 = x and r^k = rho(s^k). The right-hand side ("field"), its Jacobian and the Euler map
 * are written here once; the solver and the properties use nothing else.
 */
public final class GhostNetwork<S, V, M> {
  private final Model<S, V, M> model;
  private final Weights<M> weights;

  public GhostNetwork(Model<S, V, M> model, Weights<M> weights) {
    this.model = model;
    this.weights = weights;
  }

  public Model<S, V, M> model() {
    return model;
  }

  public Weights<M> weights() {
    return weights;
  }

  public int depth() {
    return weights.depth();
  }

  /** r^0 = x, r^k = rho(s^k). */
  public Layers<V> rates(State<V> state, V x) {
    return Layers.build(0, depth(), k -> k == 0 ? x : model.rho(state.s().at(k)));
  }

  /** e^k for k = 1..N at the given state. */
  public Layers<V> errors(State<V> state, Stimulus<S, V> stim) {
    return errors(state, stim, rates(state, stim.x()));
  }

  private Layers<V> errors(State<V> state, Stimulus<S, V> stim, Layers<V> r) {
    Backend<S, V, M> b = model.backend();
    int n = depth();
    return Layers.build(1, n, k -> {
      if (k == n) {
        V grad = model.cost().gradient(b, r.at(n), stim.y());
        return b.scale(model.scalars().negate(stim.beta()), grad);
      }
      V topDown = b.times(weights.b().at(k), r.at(k + 1));
      V ghost = b.times(weights.omega().at(k), model.rho(state.g().at(k)));
      return b.minus(topDown, ghost);
    });
  }

  /** The right-hand side (ds/dt, dg/dt), in units of 1/tau. Zero exactly at an equilibrium. */
  public State<V> field(State<V> state, Stimulus<S, V> stim) {
    return field(state, stim, inputDrive(stim.x()));
  }

  /**
   * W^1 x, the input's drive of layer 1. It does not change while the network relaxes; for a wide
   * input (784 pixels) it is most of the field's cost, so a solver computes it once and passes it
   * to {@link #field(State, Stimulus, Object)}.
   */
  public V inputDrive(V x) {
    return model.backend().times(weights.w().at(1), x);
  }

  /** {@link #field(State, Stimulus)} with W^1 x given (it must be {@code inputDrive(stim.x())}). */
  public State<V> field(State<V> state, Stimulus<S, V> stim, V inputDrive) {
    Backend<S, V, M> b = model.backend();
    Layers<V> r = rates(state, stim.x());
    Layers<V> e = errors(state, stim, r);
    Layers<V> ds = Layers.build(1, depth(), k -> {
      V drive = k == 1 ? inputDrive : b.times(weights.w().at(k), r.at(k - 1));
      return b.plus(b.minus(drive, state.s().at(k)), e.at(k));
    });
    Layers<V> dg = Layers.build(1, depth() - 1, k ->
        b.minus(b.times(weights.gamma().at(k), r.at(k)), state.g().at(k)));
    return new State<>(ds, dg);
  }

  /** One Euler step x <- x + h field(x), all units updated together from the current state. */
  public State<V> eulerStep(State<V> state, Stimulus<S, V> stim, S h) {
    Backend<S, V, M> b = model.backend();
    State<V> f = field(state, stim);
    Layers<V> s = Layers.build(1, depth(), k -> b.plus(state.s().at(k), b.scale(h, f.s().at(k))));
    Layers<V> g = Layers.build(1, depth() - 1, k -> b.plus(state.g().at(k), b.scale(h, f.g().at(k))));
    return new State<>(s, g);
  }

  /** The state laid out as one vector: s^1, ..., s^N, g^1, ..., g^{N-1}. */
  public V flatten(State<V> state) {
    List<V> parts = new ArrayList<>(state.s().asList());
    parts.addAll(state.g().asList());
    return model.backend().concat(parts);
  }

  /** Inverse of {@link #flatten}, with the shape of this network. */
  public State<V> unflatten(V z) {
    Backend<S, V, M> b = model.backend();
    int[] offsets = offsets();
    Layers<V> s = Layers.build(1, depth(), k -> b.slice(z, offsets[k - 1], width(k)));
    Layers<V> g = Layers.build(1, depth() - 1, k -> b.slice(z, offsets[depth() + k - 1], ghosts(k)));
    return new State<>(s, g);
  }

  /** n_k, the number of pyramidal units of layer k (k = 0 is the input). */
  public int width(int k) {
    Backend<S, V, M> b = model.backend();
    return k == 0 ? b.cols(weights.w().at(1)) : b.rows(weights.w().at(k));
  }

  /** m_k, the number of ghost units of hidden layer k. */
  public int ghosts(int k) {
    return model.backend().rows(weights.gamma().at(k));
  }

  /** Start of each block in the flat layout: s^1..s^N then g^1..g^{N-1}; last entry = size. */
  private int[] offsets() {
    int n = depth();
    int[] off = new int[2 * n];
    int at = 0;
    for (int k = 1; k <= n; k++) {
      off[k - 1] = at;
      at += width(k);
    }
    for (int k = 1; k < n; k++) {
      off[n + k - 1] = at;
      at += ghosts(k);
    }
    off[2 * n - 1] = at;
    return off;
  }

  /**
   * The Jacobian of {@link #field} in the flat layout. Blocks (D^k = diag rho'(s^k),
   * G^k = diag rho'(g^k), H = d^2C/dr^2):
   *
   * <pre>
   *   d(ds^k)/ds^{k-1} = W^k D^{k-1}       d(ds^k)/ds^k = -I  (k = N: -I - beta H D^N)
   *   d(ds^k)/ds^{k+1} = B^k D^{k+1}       d(ds^k)/dg^k = -Omega^k G^k
   *   d(dg^k)/ds^k     = Gamma^k D^k       d(dg^k)/dg^k = -I
   * </pre>
   */
  public M jacobian(State<V> state, Stimulus<S, V> stim) {
    return jacobianBlocks(state, stim).dense();
  }

  /** The Jacobian of {@link #jacobian} as blocks, with its -I blocks kept implicit. */
  public BlockJacobian<S, V, M> jacobianBlocks(State<V> state, Stimulus<S, V> stim) {
    Backend<S, V, M> b = model.backend();
    ScalarField<S> f = model.scalars();
    int n = depth();
    Layers<V> d = Layers.build(1, n, k -> model.rhoPrime(state.s().at(k)));
    int blocks = 2 * n - 1;
    int[] sizes = new int[blocks];
    for (int k = 1; k <= n; k++) {
      sizes[k - 1] = width(k);
    }
    for (int k = 1; k < n; k++) {
      sizes[n + k - 1] = ghosts(k);
    }
    BlockJacobian.Builder<S, V, M> jac = new BlockJacobian.Builder<>(b, sizes);
    for (int k = 1; k <= n; k++) {
      int sk = k - 1;
      if (k >= 2) {
        jac.put(sk, sk - 1, b.scaleColumns(weights.w().at(k), d.at(k - 1)));
      }
      if (k == n) {
        M diag = b.matScale(f.negate(f.one()), b.identity(width(k)));
        V r = model.rho(state.s().at(n));
        M h = model.cost().hessian(b, r, stim.y());
        jac.put(sk, sk, b.matMinus(diag, b.matScale(stim.beta(), b.scaleColumns(h, d.at(n)))));
      } else {
        jac.minusIdentity(sk);
      }
      if (k < n) {
        int gk = n + k - 1;
        jac.put(sk, sk + 1, b.scaleColumns(weights.b().at(k), d.at(k + 1)));
        V gPrime = model.rhoPrime(state.g().at(k));
        jac.put(sk, gk, b.matScale(f.negate(f.one()), b.scaleColumns(weights.omega().at(k), gPrime)));
        jac.put(gk, sk, b.scaleColumns(weights.gamma().at(k), d.at(k)));
        jac.minusIdentity(gk);
      }
    }
    return jac.build();
  }

  /** The MLP state for a forward pass already computed (saves its W^1 x on a wide input). */
  public State<V> forwardState(ghostunits.model.Mlp.Forward<V> fwd) {
    Backend<S, V, M> b = model.backend();
    Layers<V> g = Layers.build(1, depth() - 1, k -> b.times(weights.gamma().at(k), fwd.r().at(k)));
    return new State<>(fwd.s(), g);
  }

  /** The MLP state, with ghosts at Gamma^k r_hat^k: the equilibrium of T0 and the solver's start. */
  public State<V> forwardState(V x) {
    return forwardState(ghostunits.model.Mlp.forward(model, weights.w(), x));
  }
}
