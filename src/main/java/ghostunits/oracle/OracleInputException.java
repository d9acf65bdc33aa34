package ghostunits.oracle;

import ghostunits.numeric.GhostUnitsException;

/**
 * An oracle input that cannot be used: the message names the file, the field (with its layer and
 * index) and what is wrong. The CLI prints it as one line and exits with status 2.
 */
public class OracleInputException extends GhostUnitsException {
  private static final long serialVersionUID = 1L;

  public OracleInputException(String message) {
    super(message);
  }

  public OracleInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
