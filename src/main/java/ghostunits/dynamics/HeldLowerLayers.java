package ghostunits.dynamics;

import ghostunits.model.Feedback;
import ghostunits.model.Layers;
import ghostunits.model.Weights;
import ghostunits.numeric.Backend;
import java.util.List;

/**
 * The restricted problem under which the paper proves Theorem 2 (T2b): layers 1..N-1 and their
 * ghosts are held at a given state (not solved for), and only the output layer relaxes under
 * nudging, to a solution of its own equation s^N = W^N r^{N-1} + e^N, e^N = -beta C'(rho(s^N)).
 *
 * <p>That equation is the equilibrium of a one-layer network with input r^{N-1}, so it is solved by
 * the same Newton solver (and the same stopping rule) as the full network.
 */
public final class HeldLowerLayers {
  private HeldLowerLayers() {}

  /**
   * The held state with s^N relaxed, its errors e^1..e^N evaluated with the ghosts held, and the
   * output solve.
   */
  public record Result<S, V>(State<V> state, Layers<V> errors, Equilibrium<S, V> output) {}

  /**
   * Relaxes s^N under {@code stim} (any beta) with s^1..s^{N-1} and g^1..g^{N-1} held at
   * {@code held}; the output solve starts from held's s^N.
   */
  public static <S, V, M> Result<S, V> relaxOutput(GhostNetwork<S, V, M> net, State<V> held, Stimulus<S, V> stim) {
    Backend<S, V, M> b = net.model().backend();
    int n = net.depth();
    Layers<V> r = net.rates(held, stim.x());
    Weights<M> top = Weights.convergedModelA(b, Feedback.TF, Layers.of(1, List.of(net.weights().w().at(n))), null);
    GhostNetwork<S, V, M> output = new GhostNetwork<>(net.model(), top);
    State<V> start = new State<>(Layers.of(1, List.of(held.s().at(n))), Layers.build(1, 0, k -> b.zeros(0)));
    Equilibrium<S, V> eq = EquilibriumSolver.solve(output, new Stimulus<>(r.at(n - 1), stim.y(), stim.beta()), start);
    State<V> relaxed = new State<>(held.s().with(n, eq.state().s().at(1)), held.g());
    return new Result<>(relaxed, net.errors(relaxed, stim), eq);
  }
}
