package ghostunits.theory;

import ghostunits.dynamics.Equilibrium;
import ghostunits.dynamics.GhostNetwork;
import ghostunits.dynamics.State;
import ghostunits.dynamics.Stimulus;
import ghostunits.model.Layers;
import ghostunits.model.Model;
import ghostunits.numeric.Backend;
import ghostunits.numeric.ScalarField;
import java.util.function.UnaryOperator;

/**
 * First-order response of the equilibrium to the nudging strength (T2c): xi^k = ds^k/dbeta,
 * gamma^k = dg^k/dbeta, eps^k = de^k/dbeta at beta = 0. Differentiating F(z(beta), beta) = 0 gives
 * J dz/dbeta = -dF/dbeta, where J is the Jacobian of the field at the free equilibrium and
 * dF/dbeta is -dC/dr^N in the output block: one linear solve with the dynamics' own Jacobian.
 */
public final class LinearResponse {
  private LinearResponse() {}

  /** xi (layers 1..N), gamma (hidden layers) and eps (layers 1..N). */
  public record Response<V>(Layers<V> xi, Layers<V> gamma, Layers<V> eps) {}

  /** The response at a free equilibrium (its stimulus must have beta = 0). */
  public static <S, V, M> Response<V> at(
      GhostNetwork<S, V, M> net, Equilibrium<S, V> free, Stimulus<S, V> stim) {
    Backend<S, V, M> b = net.model().backend();
    return at(net, free, stim, rhs -> b.solve(net.jacobian(free.state(), stim), rhs));
  }

  /**
   * The same, with the linear solve J_0 dz = rhs (flat layout, J_0 the Jacobian at the free
   * equilibrium) done by {@code solveJacobian}: e.g. by iterative refinement on a wide network,
   * where a dense LU at the working precision is too slow.
   */
  public static <S, V, M> Response<V> at(
      GhostNetwork<S, V, M> net, Equilibrium<S, V> free, Stimulus<S, V> stim, UnaryOperator<V> solveJacobian) {
    Model<S, V, M> model = net.model();
    Backend<S, V, M> b = model.backend();
    ScalarField<S> f = model.scalars();
    if (f.compare(stim.beta(), f.zero()) != 0) {
      throw new IllegalArgumentException("the linear response is taken at the free equilibrium (beta = 0), got beta = "
          + f.toDouble(stim.beta()));
    }
    State<V> state = free.state();
    int n = net.depth();
    V rN = model.rho(state.s().at(n));
    V grad = model.cost().gradient(b, rN, stim.y());
    // -dF/dbeta: +dC/dr^N in the s^N block, zero elsewhere.
    State<V> rhs = new State<>(
        Layers.build(1, n, k -> k == n ? grad : b.zeros(net.width(k))),
        Layers.build(1, n - 1, k -> b.zeros(net.ghosts(k))));
    V dz = solveJacobian.apply(net.flatten(rhs));
    State<V> d = net.unflatten(dz);
    Layers<V> dPrime = Layers.build(1, n, k -> model.rhoPrime(state.s().at(k)));
    Layers<V> eps = Layers.build(1, n, k -> {
      if (k == n) {
        return b.scale(f.negate(f.one()), grad);
      }
      V topDown = b.times(net.weights().b().at(k), b.hadamard(dPrime.at(k + 1), d.s().at(k + 1)));
      V gPrime = model.rhoPrime(state.g().at(k));
      V ghost = b.times(net.weights().omega().at(k), b.hadamard(gPrime, d.g().at(k)));
      return b.minus(topDown, ghost);
    });
    return new Response<>(d.s(), d.g(), eps);
  }
}
