package ghostunits.theorems;

import ghostunits.model.Feedback;
import ghostunits.model.ModelB;
import ghostunits.numeric.ApfloatBackend;
import ghostunits.testing.ModelBNetworks;
import ghostunits.testing.Orders;
import ghostunits.theory.T2Sweep;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** T2b at 80 digits: the held-state e^{N-1}/beta -> -delta^{N-1} at order 1, beta down to 1e-30. */
class T2bApfloatProperties {
  static final long DIGITS = 80;
  static final double[] BETAS = {1e-2, 1e-6, 1e-12, 1e-20, 1e-30};

  @Property(tries = 6)
  void heldStateErrorConvergesToTargetAtOrderOne(@ForAll("networks") ModelB spec) {
    double[] err = T2Sweep.heldState(new ApfloatBackend(DIGITS), spec, BETAS).layer(1);
    Orders.assertAsymptoticOrder(spec + " layer N-1 held-state |e/beta - target|/|target|", BETAS, err,
        Orders.quotientFloors(BETAS, 1e-3, 1e-79), 1.0, 0.05);
  }

  @Provide
  Arbitrary<ModelB> networks() {
    return Arbitraries.of(Feedback.values()).flatMap(fb -> ModelBNetworks.random(fb, 1, 2, 4, 3));
  }
}
