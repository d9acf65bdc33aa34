package ghostunits.numeric;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.apfloat.Apfloat;

/**
 * The apfloat backend's matrix-vector products are correctly rounded: each entry is the exact
 * dot product of the entries as they stand, rounded half-even to p digits; matrices made from
 * decimals hold exactly the values fromDecimal gives, whether read entry by entry or multiplied.
 */
class ApfloatBackendProperties {

  @Property(tries = 60)
  void timesIsTheCorrectlyRoundedExactDotProduct(@ForAll @IntRange(min = 1, max = 6) int rows,
      @ForAll @IntRange(min = 1, max = 6) int cols, @ForAll("decimals") List<BigDecimal> pool,
      @ForAll @IntRange(min = 20, max = 60) int digits) {
    ApfloatBackend b = new ApfloatBackend(digits);
    ApfloatField f = b.scalars();
    // Entries with more digits than p, and results of arithmetic (which may carry extra digits).
    ApfloatMatrix a = b.matrix(rows, cols, (i, j) -> f.divide(f.fromDecimal(pick(pool, i * 7 + j)), f.fromDouble(3)));
    Apfloat[] x = b.vector(cols, j -> f.multiply(f.fromDecimal(pick(pool, 31 + j)), f.fromDouble(1.1)));
    Apfloat[] y = b.times(a, x);
    Apfloat[] yt = b.transposeTimes(b.transpose(a), x);
    MathContext mc = new MathContext(digits, RoundingMode.HALF_EVEN);
    for (int i = 0; i < rows; i++) {
      BigDecimal exact = BigDecimal.ZERO;
      for (int j = 0; j < cols; j++) {
        exact = exact.add(f.toDecimal(a.get(i, j)).multiply(f.toDecimal(x[j])));
      }
      BigDecimal expected = exact.round(mc);
      assertThat(f.toDecimal(y[i]).compareTo(expected)).as("row %d: %s vs %s", i, y[i], expected).isZero();
      assertThat(f.toDecimal(yt[i]).compareTo(expected)).isZero();
    }
  }

  @Property(tries = 40)
  void matrixOfDecimalsHoldsTheRoundedDecimals(@ForAll("decimals") List<BigDecimal> pool,
      @ForAll @IntRange(min = 20, max = 40) int digits) {
    ApfloatBackend b = new ApfloatBackend(digits);
    ApfloatField f = b.scalars();
    ApfloatMatrix fromDecimals = b.matrixOfDecimals(3, 4, (i, j) -> pick(pool, i * 4 + j));
    ApfloatMatrix fromScalars = b.matrix(3, 4, (i, j) -> f.fromDecimal(pick(pool, i * 4 + j)));
    Apfloat[] x = b.vector(4, j -> f.fromDecimal(pick(pool, 20 + j)));
    // Multiplied before any entry is read (the lazy path), then read.
    Apfloat[] y1 = b.times(fromDecimals, x);
    Apfloat[] y2 = b.times(fromScalars, x);
    for (int i = 0; i < 3; i++) {
      assertThat(y1[i].compareTo(y2[i])).isZero();
      for (int j = 0; j < 4; j++) {
        assertThat(fromDecimals.get(i, j).compareTo(fromScalars.get(i, j))).isZero();
        BigDecimal rounded = pick(pool, i * 4 + j).round(new MathContext(digits, RoundingMode.HALF_EVEN));
        assertThat(f.toDecimal(fromDecimals.get(i, j)).compareTo(rounded)).isZero();
      }
    }
  }

  private static BigDecimal pick(List<BigDecimal> pool, int i) {
    return pool.get(i % pool.size());
  }

  @Provide
  Arbitrary<List<BigDecimal>> decimals() {
    Arbitrary<BigDecimal> d = Arbitraries.bigDecimals().between(new BigDecimal("-1000"), new BigDecimal("1000"))
        .ofScale(70);
    return d.list().ofMinSize(1).ofMaxSize(40);
  }
}
