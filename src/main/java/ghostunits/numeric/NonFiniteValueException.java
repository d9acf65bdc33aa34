package ghostunits.numeric;

/** A NaN or an infinity where a finite number is required. */
public final class NonFiniteValueException extends GhostUnitsException {
  private static final long serialVersionUID = 1L;

  public NonFiniteValueException(String message) {
    super(message);
  }
}
