package ghostunits.numeric;

/** A linear solve met a pivot that vanishes at the working precision. */
public final class SingularMatrixException extends GhostUnitsException {
  private static final long serialVersionUID = 1L;

  public SingularMatrixException(String message) {
    super(message);
  }
}
