package ghostunits.oracle;

/** A list with the wrong number of entries for the network it belongs to (a dimension mismatch). */
public final class ShapeException extends FormatException {
  private static final long serialVersionUID = 1L;

  public ShapeException(String message) {
    super(message);
  }
}
