package ghostunits.theory;

/**
 * Per-example weight steps u_i x_i^T compared with reference steps v_i x_i^T (the same input x_i),
 * all examples stacked into one long vector each, as the {@code steps} command compares training's
 * step with backprop's: |stacked u| / |stacked v| and the cosine between them. Only three sums are
 * kept, since <u x^T, v x^T>_F = <u, v> |x|^2. Mutable: {@link #add} accumulates.
 */
public final class StackedSteps {
  private double uu;
  private double vv;
  private double uv;

  /** Adds one example's steps u x^T and v x^T, given u, v and |x|^2. */
  public void add(double[] u, double[] v, double xSquared) {
    if (u.length != v.length) {
      throw new IllegalArgumentException("steps of " + u.length + " and " + v.length + " rows");
    }
    double a = 0;
    double b = 0;
    double c = 0;
    for (int i = 0; i < u.length; i++) {
      a += u[i] * u[i];
      b += v[i] * v[i];
      c += u[i] * v[i];
    }
    uu += a * xSquared;
    vv += b * xSquared;
    uv += c * xSquared;
  }

  /** |stacked u x^T| / |stacked v x^T| (Frobenius). */
  public double ratio() {
    return Math.sqrt(uu / vv);
  }

  /** The cosine between the stacked steps. */
  public double cosine() {
    return uv / Math.sqrt(uu * vv);
  }
}
