package ghostunits.numeric;

/**
 * Base of every error this project reports about its input or its numerics. The message names
 * the bad value and where it came from; the CLI prints it as one line and exits non-zero.
 */
public class GhostUnitsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public GhostUnitsException(String message) {
    super(message);
  }

  public GhostUnitsException(String message, Throwable cause) {
    super(message, cause);
  }
}
