package ghostunits.numeric;

import java.util.ArrayList;
import java.util.List;

/**
 * Gaussian elimination with partial pivoting over any {@link ScalarField}: the solve kernel of
 * backends that have no library of their own (apfloat). Written once, over scalars.
 */
public final class DenseLu {
  private DenseLu() {}

  /**
   * Solves a x = b, with a given as rows.
   *
   * @throws SingularMatrixException if a pivot is zero, or below n * epsilon times the largest
   *     entry of a (singular at the working precision)
   */
  public static <S> List<S> solve(ScalarField<S> f, List<List<S>> a, List<S> b) {
    int n = b.size();
    List<List<S>> m = new ArrayList<>(n);
    S largest = f.zero();
    for (int i = 0; i < n; i++) {
      List<S> row = new ArrayList<>(a.get(i));
      if (row.size() != n) {
        throw new ShapeMismatchException("solve: row " + i + " has " + row.size() + " entries, expected " + n);
      }
      for (S v : row) {
        largest = f.max(largest, f.abs(v));
      }
      row.add(b.get(i));
      m.add(row);
    }
    S tiny = f.multiply(f.multiply(largest, f.epsilon()), f.fromDouble(n));
    for (int c = 0; c < n; c++) {
      int pivot = c;
      for (int r = c + 1; r < n; r++) {
        if (f.compare(f.abs(m.get(r).get(c)), f.abs(m.get(pivot).get(c))) > 0) {
          pivot = r;
        }
      }
      S p = m.get(pivot).get(c);
      if (f.compare(f.abs(p), tiny) <= 0) {
        throw new SingularMatrixException(
            "solve: pivot " + f.toDouble(p) + " in column " + c + " of a " + n + "x" + n
                + " matrix is zero at " + f.name() + " precision");
      }
      List<S> tmp = m.get(c);
      m.set(c, m.get(pivot));
      m.set(pivot, tmp);
      List<S> pr = m.get(c);
      for (int r = c + 1; r < n; r++) {
        List<S> row = m.get(r);
        S factor = f.divide(row.get(c), p);
        if (f.compare(factor, f.zero()) == 0) {
          continue;
        }
        for (int j = c; j <= n; j++) {
          row.set(j, f.subtract(row.get(j), f.multiply(factor, pr.get(j))));
        }
      }
    }
    List<S> x = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      x.add(f.zero());
    }
    for (int i = n - 1; i >= 0; i--) {
      List<S> row = m.get(i);
      S s = row.get(n);
      for (int j = i + 1; j < n; j++) {
        s = f.subtract(s, f.multiply(row.get(j), x.get(j)));
      }
      x.set(i, f.divide(s, row.get(i)));
    }
    return x;
  }
}
