package ghostunits.theory;

import java.util.Arrays;

/**
 * One theorem's error measured over a sweep of betas, layer by layer: errors[k - 1][i] is the
 * error of layer k at betas[i]. What the error is (relative, max-norm, ...) is said in
 * {@code quantity}. Used by the properties (which assert on it) and by the reports (which print it).
 */
public record Sweep(String theorem, String quantity, String precision, double[] betas, double[][] errors) {
  public int layers() {
    return errors.length;
  }

  public double[] layer(int k) {
    return errors[k - 1];
  }

  /** Observed orders of layer k between consecutive betas. */
  public double[] orders(int k) {
    return ErrorOrder.observed(betas, errors[k - 1]);
  }

  @Override
  public String toString() {
    return theorem + " " + quantity + " (" + precision + "): betas " + Arrays.toString(betas)
        + ", errors " + Arrays.deepToString(errors);
  }
}
