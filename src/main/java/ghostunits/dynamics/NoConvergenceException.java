package ghostunits.dynamics;

import ghostunits.numeric.GhostUnitsException;

/** An iteration (Newton, Euler) did not reach its stopping rule: there is no result to give. */
public final class NoConvergenceException extends GhostUnitsException {
  private static final long serialVersionUID = 1L;

  public NoConvergenceException(String message) {
    super(message);
  }
}
