package ghostunits.dynamics;

import ghostunits.numeric.Backend;
import ghostunits.numeric.NonFiniteValueException;
import ghostunits.numeric.ScalarField;

/**
 * Finds the equilibrium of the dynamics directly, by Newton's method on the field F(s, g) = 0
 * with the analytic Jacobian and a backtracking line search.
 *
 * <p>Stopping rule: the max-norm of a Newton step falls below 1000 eps (1 + |z|), with eps the
 * working precision's rounding unit. Newton converges quadratically near a regular solution, so
 * the error left after that step is far below the step itself. The residual after it must then be
 * at most {@link #RESIDUAL_FACTOR} times that threshold (a guard against stopping on a stalled
 * iterate). Anything else (no decrease of the residual, too many iterations, a singular Jacobian,
 * a residual above the guard) is a {@link NoConvergenceException}, and a non-finite residual a
 * {@link NonFiniteValueException}: never a result.
 */
public final class EquilibriumSolver {
  /** Newton iterations allowed before giving up. */
  public static final int MAX_ITERATIONS = 100;

  /** The residual at the stop may exceed the step threshold by this factor (|F| ~ |J| |dz|). */
  public static final double RESIDUAL_FACTOR = 1000;

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
      checkFinite(f, residual, it);
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
        S finalResidual = b.normMax(field);
        checkFinite(f, finalResidual, it + 1);
        S guard = f.multiply(f.fromDouble(RESIDUAL_FACTOR), f.multiply(tol, f.add(f.one(), b.normMax(z))));
        if (f.compare(finalResidual, guard) > 0) {
          throw new NoConvergenceException("Newton at " + f.name() + " stopped on a small step ("
              + f.toDouble(stepNorm) + ") but the residual " + f.toDouble(finalResidual)
              + " is above the guard " + f.toDouble(guard) + ": a stalled iterate, not an equilibrium");
        }
        return new Equilibrium<>(state, net.errors(state, stim), it + 1, stepNorm, finalResidual);
      }
      Backtracking.Accepted<S, V> next = Backtracking.alongOrFail(b, z, step, residual,
          trial -> net.flatten(net.field(net.unflatten(trial), stim)),
          "Newton", "Newton direction", it, stepNorm, f.multiply(tol, scale));
      z = next.z();
      state = net.unflatten(z);
      field = next.field();
      residual = next.residual();
      lastStep = f.multiply(next.t(), stepNorm);
    }
    throw new NoConvergenceException("Newton at " + f.name() + " did not converge in " + MAX_ITERATIONS
        + " iterations (residual " + f.toDouble(residual) + ", last step " + f.toDouble(lastStep) + ")");
  }

  private static <S> void checkFinite(ScalarField<S> f, S residual, int iteration) {
    double d = f.toDouble(residual);
    if (!Double.isFinite(d)) {
      throw new NonFiniteValueException("Newton at " + f.name() + ": the residual is " + d + " at iteration "
          + iteration + " (a weight, input or beta is not finite, or the state overflowed)");
    }
  }
}
