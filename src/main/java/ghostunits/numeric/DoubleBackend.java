package ghostunits.numeric;

import java.util.List;
import java.util.function.UnaryOperator;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.NormOps_DDRM;
import org.ejml.dense.row.decomposition.lu.LUDecompositionAlt_DDRM;
import org.ejml.dense.row.linsol.lu.LinearSolverLu_DDRM;

/**
 * Double precision on EJML. Vectors are {@code double[]}, matrices {@link DMatrixRMaj}; both are
 * treated as immutable (never written after construction).
 */
public final class DoubleBackend implements Backend<Double, double[], DMatrixRMaj> {
  public static final DoubleBackend INSTANCE = new DoubleBackend();

  private DoubleBackend() {}

  @Override
  public ScalarField<Double> scalars() {
    return DoubleField.INSTANCE;
  }

  @Override
  public double[] vector(int n, IndexedScalar<Double> entry) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = entry.at(i);
    }
    return v;
  }

  @Override
  public DMatrixRMaj matrix(int rows, int cols, MatrixEntry<Double> entry) {
    DMatrixRMaj m = new DMatrixRMaj(rows, cols);
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        m.unsafe_set(i, j, entry.at(i, j));
      }
    }
    return m;
  }

  /** Wraps an array as a matrix without copying; the caller must not write the array later. */
  public static DMatrixRMaj wrap(int rows, int cols, double[] rowMajor) {
    return DMatrixRMaj.wrap(rows, cols, rowMajor);
  }

  @Override
  public double[] zeros(int n) {
    return new double[n];
  }

  @Override
  public DMatrixRMaj identity(int n) {
    return CommonOps_DDRM.identity(n);
  }

  @Override
  public int size(double[] v) {
    return v.length;
  }

  @Override
  public int rows(DMatrixRMaj m) {
    return m.numRows;
  }

  @Override
  public int cols(DMatrixRMaj m) {
    return m.numCols;
  }

  @Override
  public Double get(double[] v, int i) {
    return v[i];
  }

  @Override
  public Double get(DMatrixRMaj m, int i, int j) {
    return m.get(i, j);
  }

  @Override
  public double[] concat(List<double[]> parts) {
    int n = 0;
    for (double[] p : parts) {
      n += p.length;
    }
    double[] out = new double[n];
    int at = 0;
    for (double[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  @Override
  public double[] slice(double[] v, int from, int length) {
    double[] out = new double[length];
    System.arraycopy(v, from, out, 0, length);
    return out;
  }

  private static void sameSize(double[] a, double[] b, String op) {
    if (a.length != b.length) {
      throw new ShapeMismatchException(op + ": vector sizes " + a.length + " and " + b.length);
    }
  }

  @Override
  public double[] plus(double[] a, double[] b) {
    sameSize(a, b, "plus");
    double[] out = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i] + b[i];
    }
    return out;
  }

  @Override
  public double[] minus(double[] a, double[] b) {
    sameSize(a, b, "minus");
    double[] out = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i] - b[i];
    }
    return out;
  }

  @Override
  public double[] scale(Double a, double[] x) {
    double s = a;
    double[] out = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = s * x[i];
    }
    return out;
  }

  @Override
  public double[] hadamard(double[] a, double[] b) {
    sameSize(a, b, "hadamard");
    double[] out = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i] * b[i];
    }
    return out;
  }

  @Override
  public double[] map(double[] x, UnaryOperator<Double> f) {
    double[] out = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = f.apply(x[i]);
    }
    return out;
  }

  @Override
  public Double dot(double[] a, double[] b) {
    sameSize(a, b, "dot");
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  @Override
  public Double normMax(double[] a) {
    double m = 0;
    for (double v : a) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }

  @Override
  public double[] times(DMatrixRMaj a, double[] x) {
    if (a.numCols != x.length) {
      throw new ShapeMismatchException(
          "times: matrix " + a.numRows + "x" + a.numCols + " and vector of size " + x.length);
    }
    double[] out = new double[a.numRows];
    CommonOps_DDRM.mult(a, DMatrixRMaj.wrap(x.length, 1, x), DMatrixRMaj.wrap(a.numRows, 1, out));
    return out;
  }

  @Override
  public double[] transposeTimes(DMatrixRMaj a, double[] x) {
    if (a.numRows != x.length) {
      throw new ShapeMismatchException(
          "transposeTimes: matrix " + a.numRows + "x" + a.numCols + " and vector of size " + x.length);
    }
    double[] out = new double[a.numCols];
    CommonOps_DDRM.multTransA(
        a, DMatrixRMaj.wrap(x.length, 1, x), DMatrixRMaj.wrap(a.numCols, 1, out));
    return out;
  }

  @Override
  public DMatrixRMaj transpose(DMatrixRMaj a) {
    return CommonOps_DDRM.transpose(a, null);
  }

  @Override
  public DMatrixRMaj outer(double[] a, double[] b) {
    DMatrixRMaj m = new DMatrixRMaj(a.length, b.length);
    double[] d = m.data;
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < b.length; j++) {
        d[i * b.length + j] = a[i] * b[j];
      }
    }
    return m;
  }

  private static void sameShape(DMatrixRMaj a, DMatrixRMaj b, String op) {
    if (a.numRows != b.numRows || a.numCols != b.numCols) {
      throw new ShapeMismatchException(op + ": matrices " + a.numRows + "x" + a.numCols
          + " and " + b.numRows + "x" + b.numCols);
    }
  }

  @Override
  public DMatrixRMaj matPlus(DMatrixRMaj a, DMatrixRMaj b) {
    sameShape(a, b, "matPlus");
    return CommonOps_DDRM.add(a, b, null);
  }

  @Override
  public DMatrixRMaj matMinus(DMatrixRMaj a, DMatrixRMaj b) {
    sameShape(a, b, "matMinus");
    return CommonOps_DDRM.subtract(a, b, null);
  }

  @Override
  public DMatrixRMaj matScale(Double s, DMatrixRMaj a) {
    DMatrixRMaj out = new DMatrixRMaj(a.numRows, a.numCols);
    CommonOps_DDRM.scale(s, a, out);
    return out;
  }

  @Override
  public DMatrixRMaj scaleColumns(DMatrixRMaj a, double[] d) {
    if (a.numCols != d.length) {
      throw new ShapeMismatchException("scaleColumns: " + a.numCols + " columns, " + d.length + " factors");
    }
    DMatrixRMaj m = a.copy();
    for (int i = 0; i < m.numRows; i++) {
      for (int j = 0; j < m.numCols; j++) {
        m.data[i * m.numCols + j] *= d[j];
      }
    }
    return m;
  }

  @Override
  public DMatrixRMaj scaleRows(double[] d, DMatrixRMaj a) {
    if (a.numRows != d.length) {
      throw new ShapeMismatchException("scaleRows: " + a.numRows + " rows, " + d.length + " factors");
    }
    DMatrixRMaj m = a.copy();
    for (int i = 0; i < m.numRows; i++) {
      for (int j = 0; j < m.numCols; j++) {
        m.data[i * m.numCols + j] *= d[i];
      }
    }
    return m;
  }

  @Override
  public Double matNormMax(DMatrixRMaj a) {
    return CommonOps_DDRM.elementMaxAbs(a);
  }

  @Override
  public Double matNormFrobenius(DMatrixRMaj a) {
    return NormOps_DDRM.normF(a);
  }

  /**
   * LU factors of a square matrix, with the singularity rule of {@link DenseLu}: a pivot at or
   * below n eps max|a| (or not finite) is zero at double precision.
   *
   * @throws SingularMatrixException naming {@code what}
   */
  public static LinearSolverLu_DDRM factorLu(DMatrixRMaj a, String what) {
    LUDecompositionAlt_DDRM decomposition = new LUDecompositionAlt_DDRM();
    LinearSolverLu_DDRM lu = new LinearSolverLu_DDRM(decomposition);
    double tiny = a.numRows * Math.ulp(1.0) * CommonOps_DDRM.elementMaxAbs(a);
    boolean ok = lu.setA(a.copy());
    DMatrixRMaj factors = decomposition.getLU();
    for (int i = 0; ok && i < a.numRows; i++) {
      double pivot = factors.get(i, i);
      ok = Math.abs(pivot) > tiny && Double.isFinite(pivot);
    }
    if (!ok) {
      throw new SingularMatrixException(what + " is singular at double precision (or not finite)");
    }
    return lu;
  }

  @Override
  public double[] solve(DMatrixRMaj a, double[] b) {
    if (a.numRows != a.numCols || a.numRows != b.length) {
      throw new ShapeMismatchException(
          "solve: matrix " + a.numRows + "x" + a.numCols + " and right-hand side of size " + b.length);
    }
    LinearSolverLu_DDRM lu = factorLu(a, "solve: matrix " + a.numRows + "x" + a.numCols);
    double[] x = new double[b.length];
    lu.solve(DMatrixRMaj.wrap(b.length, 1, b.clone()), DMatrixRMaj.wrap(x.length, 1, x));
    return x;
  }
}
