package ghostunits.oracle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ghostunits.numeric.ApfloatBackend;
import ghostunits.numeric.ApfloatField;
import ghostunits.numeric.ApfloatMatrix;
import java.math.BigDecimal;
import org.apfloat.Apfloat;
import org.junit.jupiter.api.Test;

/**
 * The certificate at its edges, which random cases do not reach: a reference no better than the
 * values is refused, the digit count at exact powers of ten and at its cap, and the text that says
 * how a block was certified. ({@code CertificationProperties} checks the certificate in general.)
 */
class CertificationTest {
  private static final ApfloatField F = new ApfloatBackend(40).scalars();
  private static final Schema.Field FIELD = Schema.FIELDS.get(0);

  private static Certification.Entry<Apfloat> entry(String absErr, String scale) {
    return Certification.entry(F, FIELD, 1, F.fromDecimal(new BigDecimal(absErr)), F.fromDecimal(new BigDecimal(scale)),
        30);
  }

  @Test
  void digitsAreTheFloorOfLog10OfScaleOverErrorCappedBelowThePrecision() {
    assertThat(entry("1e-3", "1")).extracting(Certification.Entry::digits, Certification.Entry::zero)
        .containsExactly(3, false);
    assertThat(entry("1e-3", "0.999")).extracting(Certification.Entry::digits).isEqualTo(2);
    // abs_err equal to max|v|: no digit, but not "zero" (it counts in its block's minimum)...
    assertThat(entry("1", "1")).extracting(Certification.Entry::digits, Certification.Entry::zero)
        .containsExactly(0, false);
    // ...above it the values are within abs_err of zero.
    assertThat(entry("1.01", "1")).extracting(Certification.Entry::digits, Certification.Entry::zero)
        .containsExactly(0, true);
    // Agreement beyond the precision still certifies p - 1 digits at most; exact zeros likewise.
    assertThat(entry("1e-35", "1")).extracting(Certification.Entry::digits, Certification.Entry::zero)
        .containsExactly(29, false);
    assertThat(entry("0", "0")).extracting(Certification.Entry::digits, Certification.Entry::zero)
        .containsExactly(29, true);
  }

  /** Certifying p digits needs a reference whose solves are settled to 1e-(p+10); one at p digits is not. */
  @Test
  void aReferenceNoBetterThanTheValuesIsRefused() throws Exception {
    NetworkFile net = GoldenSuite.build(GoldenSuite.cases(false).get(0), null);
    ApfloatBackend working = new ApfloatBackend(30);
    Evaluation<Apfloat, Apfloat[], ApfloatMatrix> values =
        Evaluation.run(working, net, new BigDecimal("1e-3"), new BigDecimal("0.1"), Schema.FIELDS);
    assertThatThrownBy(() -> Certification.of(values, values, working, 30, 50))
        .isInstanceOf(CertificationException.class)
        .hasMessageMatching("(free|nudged|nudged_negative|linear_response) phase: the 50-digit reference solve"
            + " reports a remaining correction of \\S+, above 1e-40 \\(1 \\+ \\|z\\|\\): the reference is not accurate"
            + " enough to certify 30 digits");
  }

  @Test
  void eachBlockSaysHowItWasCertified() throws Exception {
    NetworkFile net = GoldenSuite.build(GoldenSuite.cases(false).get(0), null);
    Oracle.Result r = Oracle.evaluate(net, new BigDecimal("1e-3"), new BigDecimal("0.1"), Schema.FIELDS, 30);
    Certification<Apfloat> c = r.certification();
    String agreement = "agreement of the 30- and 50-digit evaluations (abs_err = 10 x their max difference + one unit"
        + " of the 30th digit)";
    assertThat(c.block("mlp").how()).isEqualTo(agreement + "; direct forward pass, no iteration");
    assertThat(c.block("nudged").how()).startsWith(agreement + "; nudged equilibrium by ")
        .containsPattern("\\d+ iterations, residual \\S+, next correction \\S+; at 50 digits next correction \\S+"
            + " \\(limit 1e-40 \\(1 \\+ \\|z\\|\\)\\)$");
    assertThat(c.block("estimate").how()).contains("; nudged equilibrium by ")
        .contains("; nudged_negative equilibrium by ");
  }

  @Test
  void smallNumbersAreWrittenWithTwoSignificantDigits() {
    assertThat(Certification.sci(F, F.zero())).isEqualTo("0");
    assertThat(Certification.sci(F, F.fromDecimal(new BigDecimal("1.26e-5")))).isEqualTo("1.3e-5");
    assertThat(Certification.sci(F, F.fromDecimal(new BigDecimal("-31415")))).isEqualTo("-3.1e+4");
    assertThat(Certification.sci(F, F.fromDecimal(new BigDecimal("2.5e-120")))).isEqualTo("2.5e-120");
  }
}
