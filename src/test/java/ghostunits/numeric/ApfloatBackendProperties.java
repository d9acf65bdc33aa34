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
 * The apfloat backend's matrix-vector products are (nearly) correctly rounded: each entry is
 * within half a unit of the p-th digit of the exact dot product of the entries as they stand,
 * plus the terms left out for being below 10^-(p+25) of the largest; matrices made from decimals
 * hold exactly the values fromDecimal gives, whether read entry by entry or multiplied. A
 * saturated rate (1e-3000000) in a sum costs no time.
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
      BigDecimal magnitude = BigDecimal.ZERO;
      for (int j = 0; j < cols; j++) {
        BigDecimal term = f.toDecimal(a.get(i, j)).multiply(f.toDecimal(x[j]));
        exact = exact.add(term);
        magnitude = magnitude.add(term.abs());
      }
      BigDecimal allowed = exact.abs().multiply(new BigDecimal("0.5").scaleByPowerOfTen(1 - digits))
          .add(magnitude.scaleByPowerOfTen(-(digits + 23)));
      assertThat(f.toDecimal(y[i]).subtract(exact).abs().compareTo(allowed)).as("row %d: %s vs %s", i, y[i], exact)
          .isLessThanOrEqualTo(0);
      assertThat(f.toDecimal(yt[i]).compareTo(f.toDecimal(y[i]))).isZero();
    }
  }

  @Property(tries = 20)
  void saturatedEntriesDoNotSlowTheProduct(@ForAll @IntRange(min = 20, max = 60) int digits) {
    ApfloatBackend b = new ApfloatBackend(digits);
    ApfloatField f = b.scalars();
    Apfloat tiny = f.exp(f.fromDecimal(new BigDecimal("-7000000"))); // about 1e-3040000
    ApfloatMatrix a = b.matrix(2, 3, (i, j) -> f.fromDouble(0.5 + i + j));
    Apfloat[] x = {tiny, f.one(), f.divide(f.one(), f.fromDouble(3))};
    long start = System.nanoTime();
    Apfloat[] y = b.times(a, x);
    assertThat((System.nanoTime() - start) / 1e9).as("seconds").isLessThan(1.0);
    assertThat(f.toDouble(f.subtract(y[0], f.fromDecimal(new BigDecimal("1.5").add(
        new BigDecimal("2.5").divide(new BigDecimal(3), new MathContext(digits + 5))))))).isLessThan(1e-15);
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
