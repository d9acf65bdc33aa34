package ghostunits.numeric;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apfloat.Apfloat;

/**
 * Arbitrary precision: vectors are {@code Apfloat[]} (never written after construction), matrices
 * {@link ApfloatMatrix}; every operation is rounded to the field's p digits.
 */
public final class ApfloatBackend implements Backend<Apfloat, Apfloat[], ApfloatMatrix> {
  private final ApfloatField field;
  private final MathContext context;

  public ApfloatBackend(long digits) {
    this.field = new ApfloatField(digits);
    this.context = field.context();
  }

  @Override
  public ApfloatField scalars() {
    return field;
  }

  @Override
  public Apfloat[] vector(int n, IndexedScalar<Apfloat> entry) {
    Apfloat[] v = new Apfloat[n];
    for (int i = 0; i < n; i++) {
      v[i] = entry.at(i);
    }
    return v;
  }

  @Override
  public ApfloatMatrix matrix(int rows, int cols, MatrixEntry<Apfloat> entry) {
    Apfloat[] d = new Apfloat[rows * cols];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        d[i * cols + j] = entry.at(i, j);
      }
    }
    return new ApfloatMatrix(rows, cols, d);
  }

  /**
   * Keeps the (rounded) decimals, so that {@link #times} never converts this matrix back from
   * apfloat; its apfloat entries are made only if one is read.
   */
  @Override
  public ApfloatMatrix matrixOfDecimals(int rows, int cols, MatrixEntry<BigDecimal> entry) {
    BigDecimal[] exact = new BigDecimal[rows * cols];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        exact[i * cols + j] = entry.at(i, j).round(context);
      }
    }
    return new ApfloatMatrix(rows, cols, exact, field.digits());
  }

  @Override
  public Apfloat[] zeros(int n) {
    Apfloat[] v = new Apfloat[n];
    Arrays.fill(v, field.zero());
    return v;
  }

  @Override
  public ApfloatMatrix identity(int n) {
    return matrix(n, n, (i, j) -> i == j ? field.one() : field.zero());
  }

  @Override
  public int size(Apfloat[] v) {
    return v.length;
  }

  @Override
  public int rows(ApfloatMatrix m) {
    return m.rows();
  }

  @Override
  public int cols(ApfloatMatrix m) {
    return m.cols();
  }

  @Override
  public Apfloat get(Apfloat[] v, int i) {
    return v[i];
  }

  @Override
  public Apfloat get(ApfloatMatrix m, int i, int j) {
    return m.get(i, j);
  }

  @Override
  public Apfloat[] concat(List<Apfloat[]> parts) {
    int n = 0;
    for (Apfloat[] p : parts) {
      n += p.length;
    }
    Apfloat[] out = new Apfloat[n];
    int at = 0;
    for (Apfloat[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  @Override
  public Apfloat[] slice(Apfloat[] v, int from, int length) {
    Apfloat[] out = new Apfloat[length];
    System.arraycopy(v, from, out, 0, length);
    return out;
  }

  private static void sameSize(Apfloat[] a, Apfloat[] b, String op) {
    if (a.length != b.length) {
      throw new ShapeMismatchException(op + ": vector sizes " + a.length + " and " + b.length);
    }
  }

  @Override
  public Apfloat[] plus(Apfloat[] a, Apfloat[] b) {
    sameSize(a, b, "plus");
    return vector(a.length, i -> field.add(a[i], b[i]));
  }

  @Override
  public Apfloat[] minus(Apfloat[] a, Apfloat[] b) {
    sameSize(a, b, "minus");
    return vector(a.length, i -> field.subtract(a[i], b[i]));
  }

  @Override
  public Apfloat[] scale(Apfloat s, Apfloat[] x) {
    return vector(x.length, i -> field.multiply(s, x[i]));
  }

  @Override
  public Apfloat[] hadamard(Apfloat[] a, Apfloat[] b) {
    sameSize(a, b, "hadamard");
    return vector(a.length, i -> field.multiply(a[i], b[i]));
  }

  @Override
  public Apfloat[] map(Apfloat[] x, UnaryOperator<Apfloat> f) {
    return vector(x.length, i -> f.apply(x[i]));
  }

  @Override
  public Apfloat dot(Apfloat[] a, Apfloat[] b) {
    sameSize(a, b, "dot");
    Apfloat s = field.zero();
    for (int i = 0; i < a.length; i++) {
      s = field.add(s, field.multiply(a[i], b[i]));
    }
    return s;
  }

  @Override
  public Apfloat normMax(Apfloat[] a) {
    Apfloat m = field.zero();
    for (Apfloat v : a) {
      m = field.max(m, field.abs(v));
    }
    return m;
  }

  /**
   * a x, each entry the dot product formed in exact decimal arithmetic (BigDecimal) and rounded
   * once to p digits (half-even). Terms below 10^-(p+25) times the row's largest term are left
   * out: they cannot change the rounded sum unless it cancels more than 20 digits, and an exact sum
   * of a saturated rate (1e-3000000) with O(1) terms would need three million digits. This is more
   * accurate than rounding to p digits after every step, and at 50 digits about a hundred times
   * faster than apfloat's per-operation cost. A matrix's decimals are computed once and kept.
   */
  @Override
  public Apfloat[] times(ApfloatMatrix a, Apfloat[] x) {
    if (a.cols() != x.length) {
      throw new ShapeMismatchException(
          "times: matrix " + a.rows() + "x" + a.cols() + " and vector of size " + x.length);
    }
    BigDecimal[] m = a.decimals();
    int[] me = a.exponents();
    BigDecimal[] v = decimals(x);
    int[] ve = exponents(v);
    int cols = a.cols();
    return vector(a.rows(), i -> dot(m, me, i * cols, 1, v, ve));
  }

  /** a^T x, as {@link #times}. */
  @Override
  public Apfloat[] transposeTimes(ApfloatMatrix a, Apfloat[] x) {
    if (a.rows() != x.length) {
      throw new ShapeMismatchException(
          "transposeTimes: matrix " + a.rows() + "x" + a.cols() + " and vector of size " + x.length);
    }
    BigDecimal[] m = a.decimals();
    int[] me = a.exponents();
    BigDecimal[] v = decimals(x);
    int[] ve = exponents(v);
    int cols = a.cols();
    return vector(a.cols(), j -> dot(m, me, j, cols, v, ve));
  }

  /** sum_k m[start + k stride] v[k], see {@link #times}; e are decimal exponents (ZERO_EXPONENT for 0). */
  private Apfloat dot(BigDecimal[] m, int[] me, int start, int stride, BigDecimal[] v, int[] ve) {
    long largest = Long.MIN_VALUE;
    for (int k = 0; k < v.length; k++) {
      int em = me[start + k * stride];
      if (em != ZERO_EXPONENT && ve[k] != ZERO_EXPONENT) {
        largest = Math.max(largest, (long) em + ve[k]);
      }
    }
    if (largest == Long.MIN_VALUE) {
      return field.zero();
    }
    long smallest = largest - (field.digits() + 25);
    BigDecimal s = BigDecimal.ZERO;
    for (int k = 0; k < v.length; k++) {
      int em = me[start + k * stride];
      // A term's exponent is em + ve or one more; below the cut it is left out.
      if (em != ZERO_EXPONENT && ve[k] != ZERO_EXPONENT && (long) em + ve[k] + 1 >= smallest) {
        s = s.add(m[start + k * stride].multiply(v[k]));
      }
    }
    return rounded(s);
  }

  /** Marks a zero in an exponent array. */
  static final int ZERO_EXPONENT = Integer.MIN_VALUE;

  /** floor(log10 |d|) for each entry (ZERO_EXPONENT for 0). */
  static int[] exponents(BigDecimal[] d) {
    int[] e = new int[d.length];
    for (int i = 0; i < d.length; i++) {
      e[i] = d[i].signum() == 0 ? ZERO_EXPONENT : d[i].precision() - d[i].scale() - 1;
    }
    return e;
  }

  /** An exact decimal rounded to p digits (half-even), with no digits beyond them. */
  private Apfloat rounded(BigDecimal s) {
    return s.signum() == 0 ? field.zero() : new Apfloat(s.round(context), field.digits());
  }

  /** The exact values of apfloats, as decimals (each as its precision shows it). */
  static BigDecimal[] decimals(Apfloat[] values) {
    BigDecimal[] d = new BigDecimal[values.length];
    for (int i = 0; i < values.length; i++) {
      // Scientific notation: the plain form of 1e-3000000 has three million characters.
      d[i] = values[i].signum() == 0 ? BigDecimal.ZERO : new BigDecimal(values[i].toString(false));
    }
    return d;
  }

  @Override
  public ApfloatMatrix transpose(ApfloatMatrix a) {
    return matrix(a.cols(), a.rows(), (i, j) -> a.get(j, i));
  }

  @Override
  public ApfloatMatrix outer(Apfloat[] a, Apfloat[] b) {
    return matrix(a.length, b.length, (i, j) -> field.multiply(a[i], b[j]));
  }

  private static void sameShape(ApfloatMatrix a, ApfloatMatrix b, String op) {
    if (a.rows() != b.rows() || a.cols() != b.cols()) {
      throw new ShapeMismatchException(
          op + ": matrices " + a.rows() + "x" + a.cols() + " and " + b.rows() + "x" + b.cols());
    }
  }

  @Override
  public ApfloatMatrix matPlus(ApfloatMatrix a, ApfloatMatrix b) {
    sameShape(a, b, "matPlus");
    return matrix(a.rows(), a.cols(), (i, j) -> field.add(a.get(i, j), b.get(i, j)));
  }

  @Override
  public ApfloatMatrix matMinus(ApfloatMatrix a, ApfloatMatrix b) {
    sameShape(a, b, "matMinus");
    return matrix(a.rows(), a.cols(), (i, j) -> field.subtract(a.get(i, j), b.get(i, j)));
  }

  @Override
  public ApfloatMatrix matScale(Apfloat s, ApfloatMatrix a) {
    return matrix(a.rows(), a.cols(), (i, j) -> field.multiply(s, a.get(i, j)));
  }

  @Override
  public ApfloatMatrix scaleColumns(ApfloatMatrix a, Apfloat[] d) {
    if (a.cols() != d.length) {
      throw new ShapeMismatchException("scaleColumns: " + a.cols() + " columns, " + d.length + " factors");
    }
    return scaled(a, decimals(d), false);
  }

  /**
   * a diag(d) or diag(d) a, each entry the exact product rounded half-even to p digits, computed
   * on decimals: the Jacobian's blocks W^k D^{k-1} are formed once per Newton step and then only
   * multiplied, so they are kept as decimals (their apfloat entries are made only if read).
   */
  private ApfloatMatrix scaled(ApfloatMatrix a, BigDecimal[] d, boolean rows) {
    BigDecimal[] m = a.decimals();
    int cols = a.cols();
    BigDecimal[] out = new BigDecimal[m.length];
    for (int i = 0; i < a.rows(); i++) {
      for (int j = 0; j < cols; j++) {
        BigDecimal factor = rows ? d[i] : d[j];
        BigDecimal e = m[i * cols + j];
        out[i * cols + j] = e.signum() == 0 || factor.signum() == 0 ? BigDecimal.ZERO : e.multiply(factor).round(context);
      }
    }
    return new ApfloatMatrix(a.rows(), cols, out, field.digits());
  }

  @Override
  public ApfloatMatrix scaleRows(Apfloat[] d, ApfloatMatrix a) {
    if (a.rows() != d.length) {
      throw new ShapeMismatchException("scaleRows: " + a.rows() + " rows, " + d.length + " factors");
    }
    return scaled(a, decimals(d), true);
  }

  @Override
  public Apfloat matNormMax(ApfloatMatrix a) {
    Apfloat m = field.zero();
    for (int i = 0; i < a.rows(); i++) {
      for (int j = 0; j < a.cols(); j++) {
        m = field.max(m, field.abs(a.get(i, j)));
      }
    }
    return m;
  }

  @Override
  public Apfloat matNormFrobenius(ApfloatMatrix a) {
    Apfloat s = field.zero();
    for (int i = 0; i < a.rows(); i++) {
      for (int j = 0; j < a.cols(); j++) {
        s = field.add(s, field.multiply(a.get(i, j), a.get(i, j)));
      }
    }
    return field.helper().sqrt(s);
  }

  @Override
  public Apfloat[] solve(ApfloatMatrix a, Apfloat[] b) {
    if (a.rows() != a.cols() || a.rows() != b.length) {
      throw new ShapeMismatchException(
          "solve: matrix " + a.rows() + "x" + a.cols() + " and right-hand side of size " + b.length);
    }
    List<List<Apfloat>> rows = new ArrayList<>(a.rows());
    for (int i = 0; i < a.rows(); i++) {
      List<Apfloat> row = new ArrayList<>(a.cols());
      for (int j = 0; j < a.cols(); j++) {
        row.add(a.get(i, j));
      }
      rows.add(row);
    }
    List<Apfloat> x = DenseLu.solve(field, rows, Arrays.asList(b));
    return x.toArray(new Apfloat[0]);
  }
}
