package ghostunits.plasticity;

import ghostunits.dynamics.EquilibriumSolver;
import ghostunits.dynamics.EulerIntegrator;
import ghostunits.dynamics.GhostNetwork;
import ghostunits.dynamics.State;
import ghostunits.dynamics.Stimulus;
import ghostunits.dynamics.TimeStep;

/**
 * How a phase settles before its rules are evaluated (specs/model.md 5.4): at the exact
 * equilibrium (Newton), or after a fixed number of Euler steps (the paper's simulations).
 */
public abstract class Relaxation {
  private Relaxation() {}

  /** The state the phase ends in, starting from {@code start}. */
  public abstract <S, V, M> State<V> relax(GhostNetwork<S, V, M> net, Stimulus<S, V> stim, State<V> start);

  /** The exact equilibrium, by Newton from the start (NoConvergenceException if it fails). */
  public static Relaxation newton() {
    return new Relaxation() {
      @Override
      public <S, V, M> State<V> relax(GhostNetwork<S, V, M> net, Stimulus<S, V> stim, State<V> start) {
        return EquilibriumSolver.solve(net, stim, start).state();
      }

      @Override
      public String toString() {
        return "Newton equilibrium";
      }
    };
  }

  /** {@code steps} Euler steps of size h. */
  public static Relaxation euler(TimeStep h, int steps) {
    if (steps < 0) {
      throw new IllegalArgumentException("an Euler relaxation needs steps >= 0, got " + steps);
    }
    return new Relaxation() {
      @Override
      public <S, V, M> State<V> relax(GhostNetwork<S, V, M> net, Stimulus<S, V> stim, State<V> start) {
        return EulerIntegrator.run(net, stim, start, h, steps);
      }

      @Override
      public String toString() {
        return steps + " Euler steps, " + h;
      }
    };
  }
}
