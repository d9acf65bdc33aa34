package ghostunits.dynamics;

import ghostunits.model.Layers;

/**
 * A fixed point of the dynamics, with how it was found: the state, its errors e^k, the Newton
 * iterations used, the max-norm of the last Newton step (after a quadratically convergent step
 * this bounds the remaining error up to a modest factor) and of the residual field.
 */
public record Equilibrium<S, V>(
    State<V> state, Layers<V> errors, int iterations, S lastStep, S residual) {}
