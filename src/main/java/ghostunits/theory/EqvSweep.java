package ghostunits.theory;

import ghostunits.dynamics.Equilibrium;
import ghostunits.dynamics.EulerIntegrator;
import ghostunits.dynamics.State;
import ghostunits.dynamics.Stimulus;
import ghostunits.dynamics.TimeStep;
import ghostunits.model.NetworkSpec;
import ghostunits.numeric.Backend;

/**
 * EQV: the faithful dynamics (Euler, step h, run until the field is below a tolerance) and the
 * Newton solver find the same equilibrium. Both start from the MLP state, as a weakly-clamped
 * phase starts from the free one.
 */
public final class EqvSweep {
  private EqvSweep() {}

  /** |z_Euler - z_Newton|, |z_Newton| (max-norms over s and g) and Newton's residual. */
  public record Agreement(double deviation, double stateNorm, double newtonResidual) {}

  public static <S, V, M> Agreement eulerVsNewton(
      Backend<S, V, M> be, NetworkSpec spec, double beta, TimeStep h, double fieldTolerance, int maxSteps) {
    Probe<S, V, M> p = new Probe<>(be, spec);
    Stimulus<S, V> stim = p.stimulus(beta);
    Equilibrium<S, V> newton = p.equilibrium(beta);
    State<V> euler = EulerIntegrator.runToRest(
        p.net, stim, p.net.forwardState(p.x), h, p.scalars().fromDouble(fieldTolerance), maxSteps);
    V zn = p.net.flatten(newton.state());
    return new Agreement(p.norm(be.minus(p.net.flatten(euler), zn)), p.norm(zn),
        p.scalars().toDouble(newton.residual()));
  }
}
