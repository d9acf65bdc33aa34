package ghostunits.plasticity;

import ghostunits.numeric.GhostUnitsException;

/** A training configuration, checkpoint or run that cannot be used as given; the message says why. */
public final class TrainingException extends GhostUnitsException {
  private static final long serialVersionUID = 1L;

  public TrainingException(String message) {
    super(message);
  }

  public TrainingException(String message, Throwable cause) {
    super(message, cause);
  }
}
