package ghostunits.numeric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.function.BinaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apfloat.Apfloat;
import org.ejml.data.DMatrixRMaj;

/**
 * Every kernel of the two backends computes the same thing: on random operands (exact in both,
 * since doubles convert exactly), the double result agrees with the 40-digit result to rounding,
 * n eps relative to the operands' scale.
 */
class BackendAgreementProperties {
  private static final DoubleBackend D = DoubleBackend.INSTANCE;
  private static final ApfloatBackend A = new ApfloatBackend(40);
  private static final double TOL = 64 * Math.ulp(1.0);

  record Operands(double[][] a, double[] x, double[] y, double s) {}

  @Provide
  Arbitrary<Operands> operands() {
    Arbitrary<Integer> dims = Arbitraries.integers().between(1, 7);
    return Combinators.combine(dims, dims).flatAs((r, c) -> {
      Arbitrary<Double> v = Arbitraries.doubles().between(-2, 2);
      Arbitrary<double[][]> a = v.array(double[].class).ofSize(c).array(double[][].class).ofSize(r);
      return Combinators.combine(a, v.array(double[].class).ofSize(c), v.array(double[].class).ofSize(r), v)
          .as(Operands::new);
    });
  }

  private static void close(double[] d, Apfloat[] ap, double scale, String what) {
    assertThat(d).hasSameSizeAs(ap);
    for (int i = 0; i < d.length; i++) {
      assertThat(Math.abs(d[i] - ap[i].doubleValue())).as(what + " entry " + i).isLessThanOrEqualTo(TOL * scale);
    }
  }

  private static void close(DMatrixRMaj d, ApfloatMatrix ap, double scale, String what) {
    assertThat(d.numRows).isEqualTo(ap.rows());
    assertThat(d.numCols).isEqualTo(ap.cols());
    for (int i = 0; i < d.numRows; i++) {
      for (int j = 0; j < d.numCols; j++) {
        assertThat(Math.abs(d.get(i, j) - ap.get(i, j).doubleValue())).as(what + " (" + i + "," + j + ")")
            .isLessThanOrEqualTo(TOL * scale);
      }
    }
  }

  private static <S, V, M> V vec(Backend<S, V, M> b, double[] v) {
    return b.vector(v.length, i -> b.scalars().fromDouble(v[i]));
  }

  private static <S, V, M> M mat(Backend<S, V, M> b, double[][] m) {
    return b.matrix(m.length, m[0].length, (i, j) -> b.scalars().fromDouble(m[i][j]));
  }

  @Property
  void vectorAndMatrixKernelsAgree(@ForAll("operands") Operands o) {
    DMatrixRMaj ad = mat(D, o.a());
    ApfloatMatrix aa = mat(A, o.a());
    double[] xd = vec(D, o.x());
    Apfloat[] xa = vec(A, o.x());
    double[] yd = vec(D, o.y());
    Apfloat[] ya = vec(A, o.y());
    Apfloat sa = A.scalars().fromDouble(o.s());
    double n = Math.max(o.x().length, o.y().length);
    double scale = 4 * n;
    close(D.times(ad, xd), A.times(aa, xa), scale, "times");
    close(D.transposeTimes(ad, yd), A.transposeTimes(aa, ya), scale, "transposeTimes");
    close(D.plus(xd, xd), A.plus(xa, xa), scale, "plus");
    close(D.minus(yd, D.scale(0.5, yd)), A.minus(ya, A.scale(A.scalars().fromDouble(0.5), ya)), scale, "minus/scale");
    close(D.scale(o.s(), xd), A.scale(sa, xa), scale, "scale");
    close(D.hadamard(xd, xd), A.hadamard(xa, xa), scale, "hadamard");
    close(new double[] {D.dot(xd, xd)}, new Apfloat[] {A.dot(xa, xa)}, scale, "dot");
    close(new double[] {D.normMax(yd)}, new Apfloat[] {A.normMax(ya)}, scale, "normMax");
    close(D.transpose(ad), A.transpose(aa), scale, "transpose");
    close(D.outer(yd, xd), A.outer(ya, xa), scale, "outer");
    close(D.matPlus(ad, ad), A.matPlus(aa, aa), scale, "matPlus");
    close(D.matMinus(ad, D.matScale(2.0, ad)), A.matMinus(aa, A.matScale(A.scalars().fromDouble(2), aa)), scale, "matMinus/matScale");
    close(D.scaleColumns(ad, xd), A.scaleColumns(aa, xa), scale, "scaleColumns");
    close(D.scaleRows(yd, ad), A.scaleRows(ya, aa), scale, "scaleRows");
    close(new double[] {D.matNormMax(ad)}, new Apfloat[] {A.matNormMax(aa)}, scale, "matNormMax");
    close(new double[] {D.matNormFrobenius(ad)}, new Apfloat[] {A.matNormFrobenius(aa)}, scale, "matNormFrobenius");
    close(D.concat(List.of(xd, yd)), A.concat(List.of(xa, ya)), scale, "concat");
    close(D.slice(xd, 0, xd.length), A.slice(xa, 0, xa.length), scale, "slice");
    close(D.map(xd, v -> v * v), A.map(xa, v -> v.multiply(v)), scale, "map");
  }

  /** A diagonally dominant system: both solves agree, and both satisfy a x = b to rounding. */
  @Property
  void solvesAgree(@ForAll("operands") Operands o) {
    int n = o.x().length;
    double[][] sq = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        sq[i][j] = o.a()[i % o.a().length][j] + (i == j ? 4 * n + 1 : 0);
      }
    }
    double[] xd = D.solve(mat(D, sq), vec(D, o.x()));
    Apfloat[] xa = A.solve(mat(A, sq), vec(A, o.x()));
    close(xd, xa, 4 * n, "solve");
    close(D.times(mat(D, sq), xd), vec(A, o.x()), 16 * n * n, "residual of the double solve");
  }

  @Property
  void singularAndMismatchedOperandsAreRejected(@ForAll("operands") Operands o) {
    int n = o.x().length;
    double[][] rankOne = new double[n + 1][n + 1];
    for (int i = 0; i <= n; i++) {
      for (int j = 0; j <= n; j++) {
        rankOne[i][j] = (i + 1) * (j + 1);
      }
    }
    double[] b = new double[n + 1];
    assertThatThrownBy(() -> D.solve(mat(D, rankOne), b)).isInstanceOf(SingularMatrixException.class);
    assertThatThrownBy(() -> A.solve(mat(A, rankOne), vec(A, b))).isInstanceOf(SingularMatrixException.class);
    double[] longer = new double[o.x().length + o.y().length + 1]; // fits neither side of a
    assertThatThrownBy(() -> D.plus(vec(D, o.x()), longer)).isInstanceOf(ShapeMismatchException.class);
    assertThatThrownBy(() -> A.dot(vec(A, o.x()), vec(A, longer))).isInstanceOf(ShapeMismatchException.class);
    assertThatThrownBy(() -> D.times(mat(D, o.a()), longer)).isInstanceOf(ShapeMismatchException.class);
    assertThatThrownBy(() -> A.transposeTimes(mat(A, o.a()), vec(A, longer))).isInstanceOf(ShapeMismatchException.class);
    rejectsMismatches(D, o, longer);
    rejectsMismatches(A, o, longer);
  }

  /**
   * Every elementwise operation refuses operands of different shapes, in either order, with a
   * message giving both shapes: without the check a longer second operand would be silently
   * truncated.
   */
  private static <S, V, M> void rejectsMismatches(Backend<S, V, M> be, Operands o, double[] longer) {
    V x = vec(be, o.x());
    V l = vec(be, longer);
    String sizes = o.x().length + " and " + longer.length;
    String reversed = longer.length + " and " + o.x().length;
    List<BinaryOperator<V>> vectorOps = List.of(be::plus, be::minus, be::hadamard, (p, q) -> {
      be.dot(p, q);
      return p;
    });
    for (BinaryOperator<V> op : vectorOps) {
      assertThatThrownBy(() -> op.apply(x, l)).isInstanceOf(ShapeMismatchException.class).hasMessageContaining(sizes);
      assertThatThrownBy(() -> op.apply(l, x)).isInstanceOf(ShapeMismatchException.class)
          .hasMessageContaining(reversed);
    }
    M a = mat(be, o.a());
    int r = o.a().length;
    int c = o.a()[0].length;
    M wider = be.matrix(r, c + 1, (i, j) -> be.scalars().one());
    M taller = be.matrix(r + 1, c, (i, j) -> be.scalars().one());
    for (BinaryOperator<M> op : List.<BinaryOperator<M>>of(be::matPlus, be::matMinus)) {
      for (M other : List.of(wider, taller)) {
        String shapes = r + "x" + c + " and " + be.rows(other) + "x" + be.cols(other);
        assertThatThrownBy(() -> op.apply(a, other)).isInstanceOf(ShapeMismatchException.class)
            .hasMessageContaining(shapes);
      }
    }
  }
}
