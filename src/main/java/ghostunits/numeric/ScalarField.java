package ghostunits.numeric;

import java.math.BigDecimal;

/**
 * The scalar arithmetic of one number system (double, or apfloat at a fixed precision). Values are
 * immutable; every operation rounds to the working precision, like IEEE arithmetic does.
 *
 * @param <S> the scalar type
 */
public interface ScalarField<S> {
  S zero();

  S one();

  /** The exact value of {@code d}, rounded to the working precision. */
  S fromDouble(double d);

  /** The value of {@code d}, rounded to the working precision. */
  S fromDecimal(BigDecimal d);

  S add(S a, S b);

  S subtract(S a, S b);

  S multiply(S a, S b);

  S divide(S a, S b);

  S negate(S a);

  S exp(S a);

  S abs(S a);

  int compare(S a, S b);

  default S max(S a, S b) {
    return compare(a, b) >= 0 ? a : b;
  }

  /** The nearest double (may underflow to 0 below 1e-308). */
  double toDouble(S a);

  /** The value, exactly as held. */
  BigDecimal toDecimal(S a);

  /** Relative rounding unit of the working precision: 2^-52 for double, 10^(1-p) at p digits. */
  S epsilon();

  /** Decimal digits of the working precision (double: 16). */
  long digits();

  /** Short name for reports, e.g. "double" or "apfloat(50)". */
  String name();
}
