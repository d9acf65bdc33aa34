package ghostunits.numeric;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.apfloat.Apfloat;
import org.apfloat.ApfloatMath;
import org.junit.jupiter.api.Test;

/** ApfloatField.exp against apfloat's own exp at 30 more digits: within 2 units in the last place. */
class ApfloatExpTest {
  @Test
  void expMatchesApfloatToTheLastPlace() {
    Random rng = new Random(1);
    for (long digits : new long[] {20, 50, 80}) {
      ApfloatField f = new ApfloatField(digits);
      // apfloat's exp (the reference) costs about 8 ms a call: 60 arguments per precision.
      for (int i = 0; i < 60; i++) {
        double scale = i < 20 ? 1 : i < 40 ? 60 : 5e5;
        Apfloat x = f.fromDouble((2 * rng.nextDouble() - 1) * scale);
        Apfloat reference = ApfloatMath.exp(x.precision(digits + 30));
        Apfloat relative = ApfloatMath.abs(f.exp(x).precision(digits + 30).subtract(reference)).divide(reference);
        assertThat(relative.doubleValue()).as("exp(" + x + ") at " + digits + " digits")
            .isLessThanOrEqualTo(2 * Math.pow(10, 1 - digits));
      }
      assertThat(f.exp(f.zero())).isEqualTo(f.one());
    }
  }
}
