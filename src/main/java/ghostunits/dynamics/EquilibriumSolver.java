package ghostunits.dynamics;

import ghostunits.numeric.Backend;
import ghostunits.numeric.ScalarField;

/**
 * Finds the equilibrium of the dynamics directly, by Newton's method on the field F(s, g) = 0
 * with the analytic Jacobian and a backtracking line search.
 *
 * <p>Stopping rule: the max-norm of a Newton step falls below 1000 eps (1 + |z|), with eps the
 * working precision's rounding unit. Newton converges quadratically near a regular solution, so
 * the error left after that step is far below the step itself. Anything else (no decrease of the
 * residual, too many iterations, a singular Jacobian) is a {@link NoConvergenceException}: never a
 * result.
 */
public final class EquilibriumSolver {
  /** Newton iterations allowed before giving up. */
  public static final int MAX_ITERATIONS = 100;

  private static final int MAX_HALVINGS = 40;

  private EquilibriumSolver() {}

  /** Equilibrium reached from the MLP forward pass (the free equilibrium of a converged MA). */
  public static <S, V, M> Equilibrium<S, V> solve(GhostNetwork<S, V, M> net, Stimulus<S, V> stim) {
    return solve(net, stim, net.forwardState(stim.x()));
  }

  public static <S, V, M> Equilibrium<S, V> solve(
      GhostNetwork<S, V, M> net, Stimulus<S, V> stim, State<V> start) {
    Backend<S, V, M> b = net.model().backend();
    ScalarField<S> f = b.scalars();
    S tol = f.multiply(f.epsilon(), f.fromDouble(1000));
    V z = net.flatten(start);
    State<V> state = start;
    V field = net.flatten(net.field(state, stim));
    S residual = b.normMax(field);
    S lastStep = f.zero();
    for (int it = 0; it <= MAX_ITERATIONS; it++) {
      if (f.compare(residual, f.zero()) == 0) {
        return new Equilibrium<>(state, net.errors(state, stim), it, lastStep, residual);
      }
      if (it == MAX_ITERATIONS) {
        break;
      }
      V step = b.solve(net.jacobian(state, stim), b.scale(f.negate(f.one()), field));
      S stepNorm = b.normMax(step);
      S scale = f.add(f.one(), b.normMax(z));
      if (f.compare(stepNorm, f.multiply(tol, scale)) <= 0) {
        z = b.plus(z, step);
        state = net.unflatten(z);
        field = net.flatten(net.field(state, stim));
        return new Equilibrium<>(state, net.errors(state, stim), it + 1, stepNorm, b.normMax(field));
      }
      S t = f.one();
      boolean accepted = false;
      for (int halving = 0; halving <= MAX_HALVINGS; halving++) {
        V trial = b.plus(z, b.scale(t, step));
        State<V> trialState = net.unflatten(trial);
        V trialField = net.flatten(net.field(trialState, stim));
        S trialResidual = b.normMax(trialField);
        if (f.compare(trialResidual, residual) < 0) {
          z = trial;
          state = trialState;
          field = trialField;
          residual = trialResidual;
          lastStep = f.multiply(t, stepNorm);
          accepted = true;
          break;
        }
        t = f.divide(t, f.fromDouble(2));
      }
      if (!accepted) {
        throw new NoConvergenceException("Newton at " + f.name() + ": no step along the Newton direction"
            + " lowers the residual " + f.toDouble(residual) + " (iteration " + it + ", Newton step "
            + f.toDouble(stepNorm) + ", stopping threshold " + f.toDouble(f.multiply(tol, scale)) + ")");
      }
    }
    throw new NoConvergenceException("Newton at " + f.name() + " did not converge in " + MAX_ITERATIONS
        + " iterations (residual " + f.toDouble(residual) + ", last step " + f.toDouble(lastStep) + ")");
  }
}
