package ghostunits.dynamics;

import ghostunits.numeric.Backend;
import ghostunits.numeric.ScalarField;

/** The faithful dynamics: the Euler map iterated, as the paper simulates its networks. */
public final class EulerIntegrator {
  private EulerIntegrator() {}

  /** {@code steps} Euler steps of size h from {@code start}. */
  public static <S, V, M> State<V> run(
      GhostNetwork<S, V, M> net, Stimulus<S, V> stim, State<V> start, TimeStep h, int steps) {
    S hs = net.model().scalar(h.h());
    State<V> state = start;
    for (int i = 0; i < steps; i++) {
      state = net.eulerStep(state, stim, hs);
    }
    return state;
  }

  /**
   * Euler steps until the field's max-norm is at most {@code tolerance}.
   *
   * @throws NoConvergenceException if that takes more than {@code maxSteps} steps
   */
  public static <S, V, M> State<V> runToRest(
      GhostNetwork<S, V, M> net, Stimulus<S, V> stim, State<V> start, TimeStep h, S tolerance, int maxSteps) {
    Backend<S, V, M> b = net.model().backend();
    ScalarField<S> f = b.scalars();
    S hs = net.model().scalar(h.h());
    State<V> state = start;
    for (int i = 0; i <= maxSteps; i++) {
      State<V> field = net.field(state, stim);
      S size = b.normMax(net.flatten(field));
      if (f.compare(size, tolerance) <= 0) {
        return state;
      }
      if (i == maxSteps) {
        throw new NoConvergenceException("Euler (" + h + ", " + f.name() + ") still moving after "
            + maxSteps + " steps: field max-norm " + f.toDouble(size) + " > tolerance " + f.toDouble(tolerance));
      }
      state = net.eulerStep(state, stim, hs);
    }
    throw new AssertionError("unreachable");
  }
}
