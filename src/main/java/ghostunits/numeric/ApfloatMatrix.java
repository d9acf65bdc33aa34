package ghostunits.numeric;

import org.apfloat.Apfloat;

/** An immutable dense matrix of apfloats, row-major. */
public final class ApfloatMatrix {
  private final int rows;
  private final int cols;
  private final Apfloat[] data;

  /** Takes ownership of {@code rowMajor}; callers must not write it afterwards. */
  ApfloatMatrix(int rows, int cols, Apfloat[] rowMajor) {
    if (rowMajor.length != rows * cols) {
      throw new ShapeMismatchException(
          "matrix " + rows + "x" + cols + " needs " + rows * cols + " entries, got " + rowMajor.length);
    }
    this.rows = rows;
    this.cols = cols;
    this.data = rowMajor;
  }

  public int rows() {
    return rows;
  }

  public int cols() {
    return cols;
  }

  public Apfloat get(int i, int j) {
    return data[i * cols + j];
  }
}
