package ghostunits.oracle;

import ghostunits.numeric.GhostUnitsException;

/** The oracle cannot certify its own reference to the accuracy asked for (raise --digits). */
public final class CertificationException extends GhostUnitsException {
  private static final long serialVersionUID = 1L;

  public CertificationException(String message) {
    super(message);
  }
}
