package ghostunits.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import ghostunits.model.Activation;
import ghostunits.model.Sigmoid;
import ghostunits.numeric.ApfloatField;
import ghostunits.numeric.ScalarField;
import java.math.BigDecimal;
import org.apfloat.Apfloat;
import org.junit.jupiter.api.Test;

/**
 * The oracle's memoized sigmoid: exactly the wrapped activation's values and slopes, computed once
 * per argument (a second call returns the stored object itself), and for any other activation the
 * wrapped slope, not the sigmoid's shortcut v (1 - v).
 */
class MemoizedActivationTest {
  private static final ApfloatField F = new ApfloatField(50);

  /** x^3 / 3, slope x^2: an activation whose slope is not v (1 - v). */
  private static final Activation CUBIC = new Activation() {
    @Override
    public <S> S value(ScalarField<S> f, S x) {
      return f.divide(f.multiply(x, f.multiply(x, x)), f.fromDouble(3));
    }

    @Override
    public <S> S derivative(ScalarField<S> f, S x) {
      return f.multiply(x, x);
    }

    @Override
    public double lipschitz() {
      return 7.0;
    }

    @Override
    public String name() {
      return "cubic";
    }
  };

  @Test
  void sigmoidValuesAndSlopesAreTheWrappedOnesComputedOnce() {
    MemoizedActivation m = new MemoizedActivation(Sigmoid.INSTANCE);
    for (String s : new String[] {"-3.5", "0", "0.25", "12"}) {
      Apfloat x = F.fromDecimal(new BigDecimal(s));
      Apfloat v = m.value(F, x);
      assertThat(v).as("rho(%s)", s).isEqualTo(Sigmoid.INSTANCE.value(F, x));
      assertThat(m.value(F, F.fromDecimal(new BigDecimal(s)))).as("rho(%s) again", s).isSameAs(v);
      Apfloat d = m.derivative(F, x);
      assertThat(d).as("rho'(%s)", s).isEqualTo(Sigmoid.INSTANCE.derivative(F, x));
      assertThat(m.derivative(F, F.fromDecimal(new BigDecimal(s)))).as("rho'(%s) again", s).isSameAs(d);
    }
    assertThat(m.name()).isEqualTo("sigmoid");
    assertThat(m.lipschitz()).isEqualTo(0.25);
  }

  @Test
  void anotherActivationKeepsItsOwnSlope() {
    MemoizedActivation m = new MemoizedActivation(CUBIC);
    Apfloat x = F.fromDecimal(new BigDecimal("1.5"));
    assertThat(m.value(F, x)).isEqualTo(CUBIC.value(F, x));
    assertThat(m.derivative(F, x)).isEqualTo(F.fromDecimal(new BigDecimal("2.25")));
    assertThat(m.derivative(F, x)).isSameAs(m.derivative(F, x));
    assertThat(m.name()).isEqualTo("cubic");
    assertThat(m.lipschitz()).isEqualTo(7.0);
  }
}
