package ghostunits.theory;

/**
 * Observed order of convergence: for errors err_i measured at betas beta_i, the order between
 * consecutive points is log(err_i / err_{i+1}) / log(beta_i / beta_{i+1}). An O(beta) error has
 * order 1 (10x smaller beta, 10x smaller error), an O(beta^2) error order 2.
 */
public final class ErrorOrder {
  private ErrorOrder() {}

  /** The observed orders between consecutive points (length betas.length - 1). */
  public static double[] observed(double[] betas, double[] errors) {
    if (betas.length != errors.length || betas.length < 2) {
      throw new IllegalArgumentException("need at least two (beta, error) points of equal count, got "
          + betas.length + " betas and " + errors.length + " errors");
    }
    double[] orders = new double[betas.length - 1];
    for (int i = 0; i + 1 < betas.length; i++) {
      orders[i] = Math.log(errors[i] / errors[i + 1]) / Math.log(Math.abs(betas[i] / betas[i + 1]));
    }
    return orders;
  }
}
