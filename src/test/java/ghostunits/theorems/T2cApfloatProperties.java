package ghostunits.theorems;

import static org.assertj.core.api.Assertions.assertThat;

import ghostunits.model.Feedback;
import ghostunits.model.ModelB;
import ghostunits.numeric.ApfloatBackend;
import ghostunits.numeric.ApfloatMatrix;
import ghostunits.testing.ModelBNetworks;
import ghostunits.testing.Orders;
import ghostunits.theory.Probe;
import ghostunits.theory.T2Sweep;
import ghostunits.theory.Theorem2;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apfloat.Apfloat;

/**
 * T2c at 80 digits: e^k/beta -> eps^k at order 1 over 28 decades of beta (no rounding floor down to
 * 1e-30), and eps = target exactly (to 1e-70) when the ghost path equals Model A's.
 */
class T2cApfloatProperties {
  static final long DIGITS = 80;
  static final double[] BETAS = {1e-2, 1e-6, 1e-12, 1e-20, 1e-30};

  @Property(tries = 5)
  void jointErrorOverBetaConvergesToLinearResponseAtOrderOne(@ForAll("networks") ModelB spec) {
    ApfloatBackend ap = new ApfloatBackend(DIGITS);
    double[][] err = T2Sweep.jointVersusLinearResponse(ap, spec, BETAS).errors();
    for (int k = 1; k <= err.length; k++) {
      Orders.assertAsymptoticOrder(spec + " layer " + k + " |e/beta - eps|/|eps|", BETAS, err[k - 1],
          Orders.quotientFloors(BETAS, 1e-3, 1e-79), 1.0, 0.05);
    }
  }

  @Property(tries = 5)
  void epsEqualsTargetWhenGhostPathEqualsModelA(@ForAll("maGhostPath") ModelB spec) {
    ApfloatBackend ap = new ApfloatBackend(DIGITS);
    Probe<Apfloat, Apfloat[], ApfloatMatrix> p = T2Sweep.cancelled(ap, spec);
    Theorem2.Analysis<Apfloat[], ApfloatMatrix> an = Theorem2.analyse(p);
    for (int k = 1; k < p.net.depth(); k++) {
      assertThat(ap.scalars().toDouble(ap.matNormMax(an.mismatch().at(k)))).as(spec + " |M^" + k + "|")
          .isLessThanOrEqualTo(1e-75);
    }
    for (int k = 1; k <= p.net.depth(); k++) {
      assertThat(an.bias()[k - 1]).as(spec + " layer " + k + " |eps - target|/|target|").isLessThanOrEqualTo(1e-70);
    }
  }

  @Provide
  Arbitrary<ModelB> networks() {
    return Arbitraries.of(Feedback.values()).flatMap(fb -> ModelBNetworks.random(fb, 1, 2, 4, 3));
  }

  @Provide
  Arbitrary<ModelB> maGhostPath() {
    return Arbitraries.of(Feedback.values()).flatMap(fb -> ModelBNetworks.maGhostPath(fb, 1, 2, 4));
  }
}
