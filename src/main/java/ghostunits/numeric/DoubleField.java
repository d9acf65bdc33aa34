package ghostunits.numeric;

import java.math.BigDecimal;

/** IEEE double arithmetic. */
public final class DoubleField implements ScalarField<Double> {
  public static final DoubleField INSTANCE = new DoubleField();
  private static final Double ZERO = 0.0;
  private static final Double ONE = 1.0;

  private DoubleField() {}

  @Override
  public Double zero() {
    return ZERO;
  }

  @Override
  public Double one() {
    return ONE;
  }

  @Override
  public Double fromDouble(double d) {
    return d;
  }

  @Override
  public Double fromDecimal(BigDecimal d) {
    return d.doubleValue();
  }

  @Override
  public Double add(Double a, Double b) {
    return a + b;
  }

  @Override
  public Double subtract(Double a, Double b) {
    return a - b;
  }

  @Override
  public Double multiply(Double a, Double b) {
    return a * b;
  }

  @Override
  public Double divide(Double a, Double b) {
    return a / b;
  }

  @Override
  public Double negate(Double a) {
    return -a;
  }

  @Override
  public Double exp(Double a) {
    return Math.exp(a);
  }

  @Override
  public Double abs(Double a) {
    return Math.abs(a);
  }

  @Override
  public int compare(Double a, Double b) {
    return Double.compare(a, b);
  }

  @Override
  public double toDouble(Double a) {
    return a;
  }

  @Override
  public BigDecimal toDecimal(Double a) {
    if (!Double.isFinite(a)) {
      throw new NonFiniteValueException("non-finite double " + a + " cannot be written as a decimal");
    }
    return new BigDecimal(a);
  }

  @Override
  public Double epsilon() {
    return Math.ulp(1.0);
  }

  @Override
  public long digits() {
    return 16;
  }

  @Override
  public String name() {
    return "double";
  }
}
