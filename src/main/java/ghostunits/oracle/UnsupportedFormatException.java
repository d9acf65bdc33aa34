package ghostunits.oracle;

/** A well-formed file of a format, version, activation or cost this oracle does not implement. */
public final class UnsupportedFormatException extends FormatException {
  private static final long serialVersionUID = 1L;

  public UnsupportedFormatException(String message) {
    super(message);
  }
}
