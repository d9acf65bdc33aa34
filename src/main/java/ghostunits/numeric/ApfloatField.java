package ghostunits.numeric;

import java.math.BigDecimal;
import org.apfloat.Apfloat;
import org.apfloat.FixedPrecisionApfloatHelper;

/**
 * Decimal floating point at a fixed precision of p significant digits: every operation is rounded
 * to p digits (apfloat's {@link FixedPrecisionApfloatHelper}), so it behaves like IEEE arithmetic
 * with a unit roundoff of about 10^(1-p).
 */
public final class ApfloatField implements ScalarField<Apfloat> {
  private final long digits;
  private final FixedPrecisionApfloatHelper helper;
  private final Apfloat zero;
  private final Apfloat one;
  private final Apfloat epsilon;

  public ApfloatField(long digits) {
    if (digits < 20 || digits > 100_000) {
      throw new IllegalArgumentException("apfloat precision must be 20..100000 digits, got " + digits);
    }
    this.digits = digits;
    this.helper = new FixedPrecisionApfloatHelper(digits);
    this.zero = helper.valueOf(new Apfloat(0));
    this.one = helper.valueOf(new Apfloat(1));
    this.epsilon = helper.valueOf(new Apfloat(BigDecimal.ONE.scaleByPowerOfTen((int) (1 - digits))));
  }

  public FixedPrecisionApfloatHelper helper() {
    return helper;
  }

  @Override
  public Apfloat zero() {
    return zero;
  }

  @Override
  public Apfloat one() {
    return one;
  }

  @Override
  public Apfloat fromDouble(double d) {
    if (!Double.isFinite(d)) {
      throw new NonFiniteValueException("non-finite double " + d + " has no apfloat value");
    }
    // new BigDecimal(double) is exact; Apfloat(double) would round to about 16 digits.
    return fromDecimal(new BigDecimal(d));
  }

  @Override
  public Apfloat fromDecimal(BigDecimal d) {
    return d.signum() == 0 ? zero : helper.valueOf(new Apfloat(d));
  }

  @Override
  public Apfloat add(Apfloat a, Apfloat b) {
    return helper.add(a, b);
  }

  @Override
  public Apfloat subtract(Apfloat a, Apfloat b) {
    return helper.subtract(a, b);
  }

  @Override
  public Apfloat multiply(Apfloat a, Apfloat b) {
    return helper.multiply(a, b);
  }

  @Override
  public Apfloat divide(Apfloat a, Apfloat b) {
    return helper.divide(a, b);
  }

  @Override
  public Apfloat negate(Apfloat a) {
    return helper.negate(a);
  }

  /**
   * exp by argument halving and a Taylor series at p + guard digits, rounded to p digits at the
   * end (error about one unit in the last place). apfloat's own exp costs about 8 ms a call at any
   * p from 20 to 80 digits (measured), which made Euler runs of the sigmoid network in apfloat
   * impractical (tens of exps per step); this costs tens of microseconds. Arguments outside
   * |a| <= 1e6 (never met by the network's potentials) keep apfloat's exp.
   */
  @Override
  public Apfloat exp(Apfloat a) {
    if (a.signum() == 0) {
      return one;
    }
    double magnitude = Math.abs(a.doubleValue());
    if (!(magnitude <= 1e6)) {
      return helper.exp(a);
    }
    // m halvings bring |a| / 2^m below 2^-8; squaring m times then multiplies the relative error
    // by about 2^m, which the guard digits absorb.
    int m = Math.max(0, Math.getExponent(magnitude) + 9);
    long guard = 10 + (long) Math.ceil(m * Math.log10(2));
    FixedPrecisionApfloatHelper w = new FixedPrecisionApfloatHelper(digits + guard);
    // 2^m < 2^29 here (|a| <= 1e6); new Apfloat(long) is cheap, new Apfloat(BigInteger) is not.
    Apfloat r = w.divide(a, new Apfloat(1L << m));
    Apfloat sum = w.valueOf(new Apfloat(1));
    Apfloat term = sum;
    for (int k = 1; term.signum() != 0 && term.scale() > -(digits + guard); k++) {
      term = w.divide(w.multiply(term, r), new Apfloat(k));
      sum = w.add(sum, term);
    }
    for (int i = 0; i < m; i++) {
      sum = w.multiply(sum, sum);
    }
    return helper.valueOf(sum);
  }

  @Override
  public Apfloat abs(Apfloat a) {
    return helper.abs(a);
  }

  @Override
  public int compare(Apfloat a, Apfloat b) {
    return a.compareTo(b);
  }

  @Override
  public double toDouble(Apfloat a) {
    return a.doubleValue();
  }

  @Override
  public BigDecimal toDecimal(Apfloat a) {
    return new BigDecimal(a.toString(true));
  }

  @Override
  public Apfloat epsilon() {
    return epsilon;
  }

  @Override
  public long digits() {
    return digits;
  }

  @Override
  public String name() {
    return "apfloat(" + digits + ")";
  }
}
