package ghostunits.numeric;

import java.math.BigDecimal;
import org.apfloat.Apfloat;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * An immutable dense matrix of apfloats, row-major. It may also hold its entries as exact
 * decimals (for the backend's exact dot products), and a matrix made from decimals creates its
 * apfloat entries only when one is first read: the 500 x 784 input weights of an MNIST network
 * are only ever multiplied, never read entry by entry.
 */
public final class ApfloatMatrix {
  private final int rows;
  private final int cols;
  private final long digits;
  /** The apfloat entries; null until first needed when the matrix was made from decimals. */
  private volatile Apfloat @Nullable [] data;
  /** The entries as exact decimals; null until first needed when made from apfloats. */
  private volatile BigDecimal @Nullable [] decimals;

  /** Takes ownership of {@code rowMajor}; callers must not write it afterwards. */
  ApfloatMatrix(int rows, int cols, Apfloat[] rowMajor) {
    this(rows, cols, rowMajor.length, 0);
    this.data = rowMajor;
  }

  /**
   * From decimals already rounded to {@code digits} digits (takes ownership): entry (i, j) is
   * the apfloat of that decimal at that precision.
   */
  ApfloatMatrix(int rows, int cols, BigDecimal[] rowMajor, long digits) {
    this(rows, cols, rowMajor.length, digits);
    this.decimals = rowMajor;
  }

  private ApfloatMatrix(int rows, int cols, int entries, long digits) {
    if (entries != rows * cols) {
      throw new ShapeMismatchException(
          "matrix " + rows + "x" + cols + " needs " + rows * cols + " entries, got " + entries);
    }
    this.rows = rows;
    this.cols = cols;
    this.digits = digits;
  }

  public int rows() {
    return rows;
  }

  public int cols() {
    return cols;
  }

  public Apfloat get(int i, int j) {
    Apfloat[] d = data;
    if (d == null) {
      d = materialize();
    }
    return d[i * cols + j];
  }

  private synchronized Apfloat[] materialize() {
    Apfloat[] d = data;
    BigDecimal[] exact = decimals;
    if (d == null) {
      if (exact == null) {
        throw new IllegalStateException("matrix without entries");
      }
      d = new Apfloat[exact.length];
      for (int i = 0; i < d.length; i++) {
        d[i] = exact[i].signum() == 0 ? Apfloat.ZERO : new Apfloat(exact[i], digits);
      }
      data = d;
    }
    return d;
  }

  /** floor(log10 |entry|) of the decimals (ApfloatBackend.ZERO_EXPONENT for 0); computed once. */
  private volatile int @Nullable [] exponents;

  int[] exponents() {
    int[] e = exponents;
    if (e == null) {
      e = ApfloatBackend.exponents(decimals());
      exponents = e;
    }
    return e;
  }

  /** The entries as exact decimals, row-major; computed once (the matrix never changes). */
  BigDecimal[] decimals() {
    BigDecimal[] d = decimals;
    if (d == null) {
      d = ApfloatBackend.decimals(materialize());
      decimals = d;
    }
    return d;
  }
}
