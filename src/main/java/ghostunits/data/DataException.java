package ghostunits.data;

import ghostunits.numeric.GhostUnitsException;

/** A data file is missing, corrupt, or not what its name says. The message names the file. */
public final class DataException extends GhostUnitsException {
  private static final long serialVersionUID = 1L;

  public DataException(String message) {
    super(message);
  }

  public DataException(String message, Throwable cause) {
    super(message, cause);
  }
}
