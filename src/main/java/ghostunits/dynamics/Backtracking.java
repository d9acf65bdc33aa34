package ghostunits.dynamics;

import ghostunits.numeric.Backend;
import ghostunits.numeric.ScalarField;
import java.util.function.Function;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The step-halving line search of the Newton solvers ({@link EquilibriumSolver},
 * {@link RefinedNewtonSolver}): along a direction, the first of t = 1, 1/2, 1/4, ... whose field
 * has a smaller max-norm than the current one. Newton's full step is taken whenever it lowers the
 * residual, so near an equilibrium this is plain Newton; far from one it keeps the iterate from
 * running off (a strongly nudged output, a steep sigmoid).
 */
final class Backtracking {
  private Backtracking() {}

  /** Halvings tried before a direction is declared useless: t down to 2^-40. */
  static final int MAX_HALVINGS = 40;

  /** The accepted point z + t step, its field and the field's max-norm. */
  record Accepted<S, V>(V z, V field, S residual, S t) {}

  /**
   * @param fieldOf the field at a flattened state
   * @return the first improving point, or null if none of the MAX_HALVINGS + 1 trials improves
   */
  static <S, V, M> @Nullable Accepted<S, V> along(Backend<S, V, M> b, V z, V step, S residual,
      Function<V, V> fieldOf) {
    ScalarField<S> f = b.scalars();
    S t = f.one();
    for (int halving = 0; halving <= MAX_HALVINGS; halving++) {
      V trial = b.plus(z, b.scale(t, step));
      V trialField = fieldOf.apply(trial);
      S trialResidual = b.normMax(trialField);
      if (f.compare(trialResidual, residual) < 0) {
        return new Accepted<>(trial, trialField, trialResidual, t);
      }
      t = f.divide(t, f.fromDouble(2));
    }
    return null;
  }

  /**
   * {@link #along}, or a typed failure naming the solver, the iteration and the sizes that
   * decided it, when no trial lowers the residual (a direction that is not a descent direction for
   * the max-norm: a Jacobian far from the true one, or a stalled iterate).
   *
   * @param solver the solver the message names, e.g. "refined Newton"
   * @param direction what the step is, e.g. "refinement direction"
   * @param threshold the solver's stopping threshold on the step, reported with it
   * @throws NoConvergenceException if no trial improves
   */
  static <S, V, M> Accepted<S, V> alongOrFail(Backend<S, V, M> b, V z, V step, S residual,
      Function<V, V> fieldOf, String solver, String direction, int iteration, S stepNorm, S threshold) {
    @Nullable Accepted<S, V> next = along(b, z, step, residual, fieldOf);
    if (next == null) {
      ScalarField<S> f = b.scalars();
      throw new NoConvergenceException(solver + " at " + f.name() + ": no step along the " + direction
          + " lowers the residual " + f.toDouble(residual) + " (iteration " + iteration + ", step "
          + f.toDouble(stepNorm) + ", stopping threshold " + f.toDouble(threshold) + ")");
    }
    return next;
  }
}
