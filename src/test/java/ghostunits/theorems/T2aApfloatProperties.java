package ghostunits.theorems;

import static org.assertj.core.api.Assertions.assertThat;

import ghostunits.dynamics.Equilibrium;
import ghostunits.dynamics.EquilibriumSolver;
import ghostunits.dynamics.GhostNetwork;
import ghostunits.dynamics.State;
import ghostunits.dynamics.Stimulus;
import ghostunits.model.Feedback;
import ghostunits.model.Layers;
import ghostunits.model.Model;
import ghostunits.model.ModelB;
import ghostunits.model.Weights;
import ghostunits.numeric.ApfloatBackend;
import ghostunits.numeric.ApfloatMatrix;
import ghostunits.plasticity.FastGhostCancellation;
import ghostunits.testing.ModelBNetworks;
import ghostunits.theory.T2aCheck;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apfloat.Apfloat;

/**
 * T2a at 50 digits. Claim (a) with the least-change Omega: the MLP state is a free equilibrium with
 * e = 0 to the working precision. Claim (b) on the equilibrium Newton finds from a perturbed start:
 * when its hidden errors vanish, it is the MLP state within the proof's bound. And the faithful
 * eq. 15 (rounds of free relaxation + one Omega step) run to max|e| <= 1e-30 on small networks:
 * claim (b) within the proof's bounds, (H2), and the agreement with least change, as in double.
 */
class T2aApfloatProperties {
  static final long DIGITS = 50;

  @Property(tries = 6)
  void mlpStateIsFreeEquilibriumWithZeroErrors(@ForAll("networks") ModelB spec) {
    ApfloatBackend ap = new ApfloatBackend(DIGITS);
    T2aCheck.AtMlp at = T2aCheck.leastChangeAtMlp(ap, spec);
    T2aProperties.assertMlpIsEquilibrium(spec + " at " + DIGITS + " digits", at, spec.ghosts(),
        ap.scalars().toDouble(ap.scalars().epsilon()));
  }

  @Property(tries = 5)
  void freeEquilibriumWithZeroErrorsIsTheMlpState(@ForAll("networks") ModelB spec, @ForAll long seed) {
    ApfloatBackend ap = new ApfloatBackend(DIGITS);
    Model<Apfloat, Apfloat[], ApfloatMatrix> model = Model.paper(ap);
    Apfloat[] x = spec.x(ap);
    Weights<ApfloatMatrix> w = FastGhostCancellation.leastChange(model, spec.weights(ap), x);
    GhostNetwork<Apfloat, Apfloat[], ApfloatMatrix> net = new GhostNetwork<>(model, w);
    Stimulus<Apfloat, Apfloat[]> free = new Stimulus<>(x, spec.y(ap), ap.scalars().zero());
    Random rng = new Random(seed);
    State<Apfloat[]> zHat = net.forwardState(x);
    Layers<Apfloat[]> s = zHat.s().map(v -> ap.plus(v, ap.vector(v.length, i -> ap.scalars().fromDouble(0.3 * (2 * rng.nextDouble() - 1)))));
    Equilibrium<Apfloat, Apfloat[]> eq = EquilibriumSolver.solve(net, free, new State<>(s, zHat.g()));
    T2aCheck.Distance d = T2aCheck.distance(model, w, free, eq.state());
    Assume.that(d.hiddenError() < 1e-40);
    assertThat(d.somaDistance()).as(spec + " " + d).isLessThanOrEqualTo(d.somaBound() + 1e-45);
    assertThat(d.ghostDistance()).as(spec + " " + d).isLessThanOrEqualTo(d.ghostBound() + 1e-45);
    assertThat(d.somaDistance()).as(spec + " " + d).isLessThanOrEqualTo(1e-40);
  }

  @Property(tries = 4)
  void fastRuleReachesCancellationAndAgreesWithLeastChange(@ForAll("small") ModelB spec) {
    ApfloatBackend ap = new ApfloatBackend(DIGITS);
    Model<Apfloat, Apfloat[], ApfloatMatrix> model = Model.paper(ap);
    Weights<ApfloatMatrix> start = spec.weights(ap);
    Stimulus<Apfloat, Apfloat[]> free = new Stimulus<>(spec.x(ap), spec.y(ap), ap.scalars().zero());
    int maxGhosts = java.util.Arrays.stream(spec.ghosts()).max().orElseThrow();
    FastGhostCancellation.Fit<Apfloat, Apfloat[], ApfloatMatrix> fit = T2aProperties.converged(() ->
        FastGhostCancellation.iterate(model, start, free, ap.scalars().fromDouble(1.0 / maxGhosts),
            ap.scalars().fromDouble(STOP), 20_000));
    T2aProperties.assertFit(spec + " at " + DIGITS + " digits, " + fit.rounds() + " rounds",
        T2aCheck.fit(model, start, fit.weights(), free, fit.state()), STOP, ap.scalars().toDouble(ap.scalars().epsilon()));
  }

  /** The fast rule's stopping tolerance at 50 digits. */
  static final double STOP = 1e-30;

  /** 1..2 hidden layers, widths 1..3, 1..2 ghosts: an eq. 15 fit to 1e-30 takes a few seconds at 50 digits. */
  @Provide
  Arbitrary<ModelB> small() {
    return Arbitraries.of(Feedback.values()).flatMap(fb -> ModelBNetworks.random(fb, 1, 2, 3, 2));
  }

  @Provide
  Arbitrary<ModelB> networks() {
    return Arbitraries.of(Feedback.values()).flatMap(fb -> ModelBNetworks.random(fb, 1, 2, 4, 3));
  }
}
