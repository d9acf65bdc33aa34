package ghostunits.numeric;

/** Two operands, or a value and the network it is meant for, have incompatible sizes. */
public final class ShapeMismatchException extends GhostUnitsException {
  private static final long serialVersionUID = 1L;

  public ShapeMismatchException(String message) {
    super(message);
  }
}
