package ghostunits.plasticity;

import ghostunits.dynamics.Equilibrium;
import ghostunits.dynamics.EquilibriumSolver;
import ghostunits.dynamics.GhostNetwork;
import ghostunits.dynamics.NoConvergenceException;
import ghostunits.dynamics.State;
import ghostunits.dynamics.Stimulus;
import ghostunits.model.Layers;
import ghostunits.model.Mlp;
import ghostunits.model.Model;
import ghostunits.model.Weights;
import ghostunits.numeric.Backend;
import ghostunits.numeric.ScalarField;

/**
 * Model B's fast ghost rule (eq. 15): during each free phase Omega^k learns, by
 * dOmega^k = eta e^k rho(g^k)^T, until the ghosts cancel the top-down feedback for the presented
 * example, Omega^k rho(g^k) = B^k r^{k+1} (so e^k = 0 and the free state is the MLP's, T2a).
 *
 * <p>Three ways to get there, which a property shows agree:
 *
 * <ul>
 *   <li>{@link #iterate}: rounds of (relax the free phase to its equilibrium; one eq. 15 step
 *       there), until every hidden error is below a tolerance;
 *   <li>{@link #duringEuler}: eq. 15 applied at every Euler step of the free phase, jointly with
 *       the dynamics (the paper's simulation);
 *   <li>{@link #leastChange}: the fast path. At the MLP state the condition is n_k linear equations
 *       Omega u = b (u = rho(Gamma^k r_hat^k), b = B^k r_hat^{k+1}) for the n_k m_k entries of
 *       Omega^k; the solution nearest the current Omega_0 in Frobenius norm is
 *       Omega_0 + (b - Omega_0 u) u^T / (u^T u). Every eq. 15 increment is a multiple of
 *       rho(g)^T, so with the state held at the MLP state eq. 15 converges to exactly this; with the
 *       state relaxing (the two rules above) the increments' directions rho(g)^T drift during the
 *       fit, and Omega^k lands on another solution of the same equations when m_k > 1 (for m_k = 1
 *       the solution is unique).
 * </ul>
 */
public final class FastGhostCancellation {
  private FastGhostCancellation() {}

  /** The outcome of an iterative fit: the fitted weights, the free state reached, the work done. */
  public record Fit<S, V, M>(Weights<M> weights, State<V> state, int rounds, S hiddenError) {}

  /**
   * Omega^k replaced, for every hidden k, by the least-change solution of
   * Omega^k rho(Gamma^k r_hat^k) = B^k r_hat^{k+1} (r_hat: the MLP forward pass of x).
   */
  public static <S, V, M> Weights<M> leastChange(Model<S, V, M> model, Weights<M> w, V x) {
    Backend<S, V, M> b = model.backend();
    ScalarField<S> f = model.scalars();
    Mlp.Forward<V> fwd = Mlp.forward(model, w.w(), x);
    Layers<M> omega = Layers.build(1, w.depth() - 1, k -> {
      V u = model.rho(b.times(w.gamma().at(k), fwd.r().at(k)));
      V target = b.times(w.b().at(k), fwd.r().at(k + 1));
      V miss = b.minus(target, b.times(w.omega().at(k), u));
      // u > 0 entrywise (sigmoid), so u^T u > 0: the division is safe.
      return b.matPlus(w.omega().at(k), b.outer(b.scale(f.divide(f.one(), b.dot(u, u)), miss), u));
    });
    return w.withGhosts(b, w.gamma(), omega);
  }

  /**
   * The faithful rule, one phase at a time: relax the free phase (Newton, warm-started from the
   * previous round's equilibrium), stop if max_k |e^k| <= tolerance over the hidden layers, else
   * apply one eq. 15 step Omega^k += eta e^k rho(g^k)^T and repeat.
   *
   * @param free the example, with beta = 0
   * @throws NoConvergenceException if the errors are still above the tolerance after maxRounds
   */
  public static <S, V, M> Fit<S, V, M> iterate(
      Model<S, V, M> model, Weights<M> w, Stimulus<S, V> free, S eta, S tolerance, int maxRounds) {
    ScalarField<S> f = model.scalars();
    requireFree(f, free);
    Weights<M> current = w;
    GhostNetwork<S, V, M> net = new GhostNetwork<>(model, current);
    State<V> state = net.forwardState(free.x());
    S err = f.zero();
    for (int round = 0; round <= maxRounds; round++) {
      net = new GhostNetwork<>(model, current);
      Equilibrium<S, V> eq = EquilibriumSolver.solve(net, free, state);
      state = eq.state();
      err = hiddenError(model, eq.errors());
      if (f.compare(err, tolerance) <= 0) {
        return new Fit<>(current, state, round, err);
      }
      if (round == maxRounds) {
        break;
      }
      Layers<M> step = LocalRules.ghostFeedbackUpdate(net, state, eq.errors(), eta);
      current = current.withGhosts(model.backend(), current.gamma(), add(model.backend(), current.omega(), step));
    }
    throw new NoConvergenceException("eq. 15 (rounds of free relaxation + Omega step, eta "
        + f.toDouble(eta) + ", " + f.name() + "): hidden error max|e| = " + f.toDouble(err)
        + " still above the tolerance " + f.toDouble(tolerance) + " after " + maxRounds + " rounds");
  }

  /**
   * Eq. 15 during the free phase's Euler steps (the paper's simulation): each step updates the
   * state by h times the field and Omega^k by h eta e^k rho(g^k)^T, both from the state before the
   * step. Stops when the field and every hidden error are at most {@code tolerance} in max-norm.
   *
   * @throws NoConvergenceException if that takes more than maxSteps steps
   */
  public static <S, V, M> Fit<S, V, M> duringEuler(
      Model<S, V, M> model, Weights<M> w, Stimulus<S, V> free, S h, S eta, S tolerance, int maxSteps) {
    Backend<S, V, M> b = model.backend();
    ScalarField<S> f = model.scalars();
    requireFree(f, free);
    Weights<M> current = w;
    GhostNetwork<S, V, M> net = new GhostNetwork<>(model, current);
    State<V> state = net.forwardState(free.x());
    S size = f.zero();
    for (int step = 0; step <= maxSteps; step++) {
      net = new GhostNetwork<>(model, current);
      Layers<V> e = net.errors(state, free);
      S err = hiddenError(model, e);
      size = f.max(err, b.normMax(net.flatten(net.field(state, free))));
      if (f.compare(size, tolerance) <= 0) {
        return new Fit<>(current, state, step, err);
      }
      if (step == maxSteps) {
        break;
      }
      Layers<M> dOmega = LocalRules.ghostFeedbackUpdate(net, state, e, f.multiply(h, eta));
      state = net.eulerStep(state, free, h);
      current = current.withGhosts(b, current.gamma(), add(b, current.omega(), dOmega));
    }
    throw new NoConvergenceException("eq. 15 during Euler (h " + f.toDouble(h) + ", eta " + f.toDouble(eta)
        + ", " + f.name() + "): max(|field|, |e|) = " + f.toDouble(size) + " still above the tolerance "
        + f.toDouble(tolerance) + " after " + maxSteps + " steps");
  }

  /** max_k |e^k| over the hidden layers k = 1..N-1 (0 without hidden layers). */
  public static <S, V, M> S hiddenError(Model<S, V, M> model, Layers<V> errors) {
    ScalarField<S> f = model.scalars();
    S m = f.zero();
    for (int k = errors.first(); k < errors.last(); k++) {
      m = f.max(m, model.backend().normMax(errors.at(k)));
    }
    return m;
  }

  private static <S, V> void requireFree(ScalarField<S> f, Stimulus<S, V> free) {
    if (f.compare(free.beta(), f.zero()) != 0) {
      throw new IllegalArgumentException("eq. 15 runs in the free phase (beta = 0), got beta = "
          + f.toDouble(free.beta()));
    }
  }

  static <S, V, M> Layers<M> add(Backend<S, V, M> b, Layers<M> a, Layers<M> d) {
    return Layers.build(a.first(), a.last(), k -> b.matPlus(a.at(k), d.at(k)));
  }
}
