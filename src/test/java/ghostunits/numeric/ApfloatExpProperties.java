package ghostunits.numeric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apfloat.Apfloat;
import org.apfloat.ApfloatMath;
import org.apfloat.FixedPrecisionApfloatHelper;

/**
 * The fast exp of {@link ApfloatField} (halving + Taylor) against apfloat's own exp computed with
 * 30 more digits: the result must be within one unit of the p-th digit (relative 10^(1-p)).
 */
class ApfloatExpProperties {

  @Property(tries = 300)
  void expIsAccurateToTheLastDigit(@ForAll("arguments") BigDecimal x, @ForAll("digits") long digits) {
    ApfloatField f = new ApfloatField(digits);
    Apfloat a = f.fromDecimal(x);
    Apfloat fast = f.exp(a);
    Apfloat reference = ApfloatMath.exp(new Apfloat(a.toString(false), digits + 30));
    FixedPrecisionApfloatHelper h = new FixedPrecisionApfloatHelper(digits + 30);
    Apfloat relative = h.divide(h.abs(h.subtract(fast, reference)), reference);
    // Half an ulp from the final rounding plus the guard digits' residue: below one ulp.
    assertThat(relative.compareTo(f.epsilon()))
        .as("exp(%s) at %d digits: relative error %s", x, digits, relative.toString(false))
        .isLessThanOrEqualTo(0);
  }

  @Example
  void expOfZeroIsOne() {
    ApfloatField f = new ApfloatField(50);
    assertThat(f.exp(f.zero()).compareTo(f.one())).isZero();
  }

  @Example
  void hugeArgumentIsATypedError() {
    ApfloatField f = new ApfloatField(50);
    assertThatThrownBy(() -> f.exp(f.fromDecimal(new BigDecimal("1e16"))))
        .isInstanceOf(NonFiniteValueException.class).hasMessageContaining("exp(");
  }

  @Provide
  Arbitrary<BigDecimal> arguments() {
    Arbitrary<BigDecimal> moderate = Arbitraries.bigDecimals().between(new BigDecimal("-800"), new BigDecimal("800"))
        .ofScale(40);
    Arbitrary<BigDecimal> tiny = Combinators.combine(
            Arbitraries.bigDecimals().between(new BigDecimal("-9.99"), new BigDecimal("9.99")).ofScale(30),
            Arbitraries.integers().between(-60, 0))
        .as((m, e) -> m.scaleByPowerOfTen(e));
    Arbitrary<BigDecimal> large = Arbitraries.bigDecimals().between(new BigDecimal("-1e9"), new BigDecimal("1e9"))
        .ofScale(10);
    return Arbitraries.oneOf(moderate, tiny, large);
  }

  @Provide
  Arbitrary<Long> digits() {
    return Arbitraries.longs().between(20, 200);
  }
}
