package ghostunits.oracle;

/** A file that is not valid JSON, or not of its declared format: a missing, unknown or ill-typed field. */
public class FormatException extends OracleInputException {
  private static final long serialVersionUID = 1L;

  public FormatException(String message) {
    super(message);
  }

  public FormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
