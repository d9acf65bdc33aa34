package ghostunits.numeric;

import java.math.BigDecimal;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The vector-level kernels the model is written against. The dynamics, equilibrium and
 * plasticity code call only these, so the same code runs in double (EJML) and in apfloat.
 *
 * <p>Vectors and matrices are immutable values: every kernel returns a new one and never
 * changes its arguments. (The copies cost O(n) against the O(n^2) work of a matrix-vector
 * product, and they make the algorithm read like the equations.)
 *
 * @param <S> scalar type
 * @param <V> vector type
 * @param <M> matrix type
 */
public interface Backend<S, V, M> {
  ScalarField<S> scalars();

  // ---- construction and access ----
  V vector(int n, IndexedScalar<S> entry);

  M matrix(int rows, int cols, MatrixEntry<S> entry);

  /**
   * A matrix of exact decimals, each rounded to the working precision (as {@link
   * ScalarField#fromDecimal}). A backend may keep the decimals to speed up later products.
   */
  default M matrixOfDecimals(int rows, int cols, MatrixEntry<BigDecimal> entry) {
    ScalarField<S> f = scalars();
    return matrix(rows, cols, (i, j) -> f.fromDecimal(entry.at(i, j)));
  }

  V zeros(int n);

  M identity(int n);

  int size(V v);

  int rows(M m);

  int cols(M m);

  S get(V v, int i);

  S get(M m, int i, int j);

  /** The vectors one after the other. */
  V concat(List<V> parts);

  /** Entries from .. from+length-1. */
  V slice(V v, int from, int length);

  // ---- vector algebra ----
  V plus(V a, V b);

  V minus(V a, V b);

  V scale(S a, V x);

  /** Elementwise product. */
  V hadamard(V a, V b);

  /** f applied to every entry. */
  V map(V x, UnaryOperator<S> f);

  S dot(V a, V b);

  /** Max-norm. */
  S normMax(V a);

  // ---- matrix algebra ----
  /** a x */
  V times(M a, V x);

  /** a^T x */
  V transposeTimes(M a, V x);

  M transpose(M a);

  /** a b^T */
  M outer(V a, V b);

  M matPlus(M a, M b);

  M matMinus(M a, M b);

  M matScale(S s, M a);

  /** a diag(d): column j scaled by d_j. */
  M scaleColumns(M a, V d);

  /** diag(d) a: row i scaled by d_i. */
  M scaleRows(V d, M a);

  /** Max-norm over entries. */
  S matNormMax(M a);

  /** Frobenius norm. */
  S matNormFrobenius(M a);

  /**
   * Solves a x = b (LU with partial pivoting).
   *
   * @throws SingularMatrixException when a pivot vanishes at the working precision
   */
  V solve(M a, V b);

  /** Entry function of a vector. */
  @FunctionalInterface
  interface IndexedScalar<S> {
    S at(int i);
  }

  /** Entry function of a matrix. */
  @FunctionalInterface
  interface MatrixEntry<S> {
    S at(int i, int j);
  }
}
