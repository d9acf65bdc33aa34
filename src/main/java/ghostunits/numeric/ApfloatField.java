package ghostunits.numeric;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import org.apfloat.Apfloat;
import org.apfloat.ApfloatMath;
import org.apfloat.Apint;
import org.apfloat.ApintMath;
import org.apfloat.FixedPrecisionApfloatHelper;
import org.checkerframework.checker.nullness.qual.Nullable;

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
  private final MathContext context;

  public ApfloatField(long digits) {
    if (digits < 20 || digits > 100_000) {
      throw new IllegalArgumentException("apfloat precision must be 20..100000 digits, got " + digits);
    }
    this.digits = digits;
    this.helper = new FixedPrecisionApfloatHelper(digits);
    this.context = new MathContext((int) digits, RoundingMode.HALF_EVEN);
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

  /** d rounded half-even to p digits (and holding no digits beyond them). */
  @Override
  public Apfloat fromDecimal(BigDecimal d) {
    return d.signum() == 0 ? zero : new Apfloat(d.round(context), digits);
  }

  /** The rounding of {@link #fromDecimal}, for code that works on decimals directly. */
  public MathContext context() {
    return context;
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
   * exp(a) to p digits (within about half a unit in the last place). apfloat's own exp (Newton on
   * an AGM logarithm) costs about 2 ms per call at 50 digits, which makes a sigmoid layer of 500
   * units take a second; below {@link #TAYLOR_MAX_DIGITS} digits this uses argument halving and a
   * Taylor series instead (about 30 multiplications): exp(a) = exp(a / 2^k)^(2^k) with
   * |a / 2^k| <= 2^-10, the series summed by Horner with integer coefficients T!/n! and one
   * multiplication by 1/T!, at p + 6 + 0.31 k guard digits so that the k squarings lose nothing
   * visible. The per-k constants (working precision, 5^k, T!/n!, 1/T!) are cached.
   */
  @Override
  public Apfloat exp(Apfloat a) {
    if (a.signum() == 0) {
      return one;
    }
    if (digits > TAYLOR_MAX_DIGITS) {
      return helper.exp(a);
    }
    if (a.scale() > 15) {
      // |a| >= 1e15: exp(a) is outside apfloat's exponent range (10^(4e14)).
      throw new NonFiniteValueException("exp(" + a.toString(false) + ") overflows or underflows apfloat's range");
    }
    // apfloat may keep digits beyond a value's precision; at the higher working precision below
    // they would count. exp is of the value as it stands at its precision (at most p digits).
    a = ApfloatMath.round(a, Math.min(a.precision(), digits), RoundingMode.HALF_EVEN);
    double magnitude = Math.abs(a.doubleValue());
    int halvings = magnitude < 1e-3 ? 0 : (int) Math.ceil(Math.log(magnitude) / Math.log(2)) + 10;
    ExpConstants k = expConstants(halvings);
    FixedPrecisionApfloatHelper w = k.helper;
    // a / 2^k = a 5^k / 10^k: the scaling by 10^-k is exact in radix 10.
    Apfloat r = halvings == 0 ? a : ApfloatMath.scale(w.multiply(a, k.fivePower), -halvings);
    // sum_{n=0}^{T} r^n / n! = (sum c_n r^n) / T!, c_n = T!/n! (integers), by Horner from n = T.
    Apint[] c = k.coefficients;
    Apfloat sum = c[c.length - 1];
    for (int n = c.length - 2; n >= 0; n--) {
      sum = w.add(w.multiply(sum, r), c[n]);
    }
    Apfloat y = w.multiply(sum, k.inverseFactorial);
    for (int i = 0; i < halvings; i++) {
      y = w.multiply(y, y);
    }
    return helper.valueOf(y);
  }

  /** Above this precision apfloat's asymptotically fast exp wins over the Taylor series. */
  static final long TAYLOR_MAX_DIGITS = 1000;

  /** What exp needs for k halvings: |a| < 1e15 means k <= 60. */
  private final @Nullable ExpConstants[] expCache = new ExpConstants[64];

  private record ExpConstants(FixedPrecisionApfloatHelper helper, Apint fivePower, Apint[] coefficients,
      Apfloat inverseFactorial) {}

  private ExpConstants expConstants(int halvings) {
    ExpConstants k = expCache[halvings];
    if (k == null) {
      // A race here only computes the same immutable value twice.
      long work = digits + 6 + (long) Math.ceil(halvings * 0.30103);
      FixedPrecisionApfloatHelper w = new FixedPrecisionApfloatHelper(work);
      int terms = taylorTerms(work);
      Apint[] c = new Apint[terms + 1];
      c[terms] = new Apint(1);
      for (int n = terms; n >= 1; n--) {
        c[n - 1] = c[n].multiply(new Apint(n));
      }
      Apfloat inverse = w.divide(w.valueOf(new Apfloat(1)), c[0]);
      k = new ExpConstants(w, ApintMath.pow(new Apint(5), halvings), c, inverse);
      expCache[halvings] = k;
    }
    return k;
  }

  /** Smallest T with (2^-10)^(T+1) / (T+1)! <= 10^-work: the truncation error of the series. */
  private static int taylorTerms(long work) {
    double log10Term = 0;
    int n = 0;
    while (log10Term > -work) {
      n++;
      log10Term += -10 * 0.30103 - Math.log10(n);
    }
    return n - 1;
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
    // Scientific notation: the plain form of a tiny value has as many characters as its exponent.
    return new BigDecimal(a.toString(false));
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
