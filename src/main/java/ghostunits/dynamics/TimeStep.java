package ghostunits.dynamics;

import ghostunits.units.Dimensionless;
import ghostunits.units.SimTime;

/**
 * The Euler step h = dt / tau of the dynamics tau ds/dt = ... . Units-checked: dt and tau are
 * times, h is a pure number in (0, 1].
 */
public final class TimeStep {
  private final @Dimensionless double h;

  private TimeStep(@Dimensionless double h) {
    if (!(h > 0 && h <= 1)) {
      throw new IllegalArgumentException("Euler step h = dt/tau must lie in (0, 1], got " + h);
    }
    this.h = h;
  }

  public static TimeStep of(@SimTime double dt, @SimTime double tau) {
    if (!(tau > 0)) {
      throw new IllegalArgumentException("time constant tau must be > 0, got " + tau);
    }
    @Dimensionless double ratio = dt / tau;
    return new TimeStep(ratio);
  }

  public static TimeStep ofRatio(@Dimensionless double h) {
    return new TimeStep(h);
  }

  public @Dimensionless double h() {
    return h;
  }

  @Override
  public String toString() {
    return "h=" + h;
  }
}
