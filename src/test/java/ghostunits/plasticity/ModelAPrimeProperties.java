package ghostunits.plasticity;

import static org.assertj.core.api.Assertions.assertThat;

import ghostunits.dynamics.EquilibriumSolver;
import ghostunits.dynamics.GhostNetwork;
import ghostunits.dynamics.State;
import ghostunits.dynamics.Stimulus;
import ghostunits.model.Feedback;
import ghostunits.model.Layers;
import ghostunits.model.Model;
import ghostunits.model.NetworkSpec;
import ghostunits.model.Weights;
import ghostunits.numeric.DoubleBackend;
import ghostunits.testing.Networks;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.ejml.data.DMatrixRMaj;

/** MA' (specs/model.md 5.2): every rule in both phases, each increment clipped entrywise. */
class ModelAPrimeProperties {
  static final DoubleBackend D = DoubleBackend.INSTANCE;
  static final Model<Double, double[], DMatrixRMaj> MODEL = Model.paper(D);
  static final ModelAPrime.Rates RATES = new ModelAPrime.Rates(0.5, 0.2, 0.2);
  static final double BETA = 0.1;

  /**
   * With converged MA ghosts the free phase is at the MLP state, where eq. 4, 5 and 6 all vanish
   * exactly; so an MA' step equals the weakly-clamped phase's rules (clipped), evaluated at the nudged
   * equilibrium of the unchanged network.
   */
  @Property(tries = 50)
  void withConvergedGhostsTheFreePhaseChangesNothing(@ForAll("networks") NetworkSpec spec) {
    Weights<DMatrixRMaj> w = spec.weights(D);
    double[] x = spec.x(D);
    double[] y = spec.y(D);
    Weights<DMatrixRMaj> stepped = ModelAPrime.step(MODEL, w, x, y, BETA, RATES, ModelAPrime.PAPER_CLIP, Relaxation.newton());
    GhostNetwork<Double, double[], DMatrixRMaj> net = new GhostNetwork<>(MODEL, w);
    Stimulus<Double, double[]> nudged = new Stimulus<>(x, y, BETA);
    State<double[]> state = EquilibriumSolver.solve(net, nudged).state();
    Weights<DMatrixRMaj> expected = ModelAPrime.phase(net, state, nudged, BETA, RATES, ModelAPrime.PAPER_CLIP);
    assertSame(spec + " W", stepped.w(), expected.w());
    assertSame(spec + " B", stepped.b(), expected.b());
    assertSame(spec + " Gamma", stepped.gamma(), expected.gamma());
    assertSame(spec + " Omega", stepped.omega(), expected.omega());
  }

  /**
   * With ghosts away from their targets, each phase's increments lie in [-clip, clip] entrywise, a
   * clipped entry sits at +-clip, and under TF B^k = (W^{k+1})^T afterwards.
   */
  @Property(tries = 50)
  void everyIncrementIsClippedEntrywise(@ForAll("networks") NetworkSpec spec, @ForAll long seed) {
    Random rng = new Random(seed);
    Weights<DMatrixRMaj> target = spec.weights(D);
    Weights<DMatrixRMaj> w = target.withGhosts(D, perturb(target.gamma(), rng), perturb(target.omega(), rng));
    double clip = 1e-3;
    GhostNetwork<Double, double[], DMatrixRMaj> net = new GhostNetwork<>(MODEL, w);
    Stimulus<Double, double[]> free = new Stimulus<>(spec.x(D), spec.y(D), 0.0);
    State<double[]> state = EquilibriumSolver.solve(net, free).state();
    Weights<DMatrixRMaj> after = ModelAPrime.phase(net, state, free, BETA, RATES, clip);
    Layers<DMatrixRMaj> rawW = LocalRules.weightUpdateRateDifference(net, state, free.x(), RATES.etaW(), BETA);
    Layers<DMatrixRMaj> rawGamma = LocalRules.ghostForwardUpdate(net, state, free.x(), RATES.etaGamma());
    Layers<DMatrixRMaj> rawOmega = LocalRules.ghostFeedbackUpdate(net, state, net.errors(state, free), RATES.etaOmega());
    assertClipped(spec + " W", w.w(), after.w(), rawW, clip);
    assertClipped(spec + " Gamma", w.gamma(), after.gamma(), rawGamma, clip);
    assertClipped(spec + " Omega", w.omega(), after.omega(), rawOmega, clip);
    if (spec.feedback() == Feedback.TF) {
      for (int k = 1; k < after.depth(); k++) {
        assertThat(D.matNormMax(D.matMinus(after.b().at(k), D.transpose(after.w().at(k + 1))))).isZero();
      }
    }
  }

  private static void assertClipped(String what, Layers<DMatrixRMaj> before, Layers<DMatrixRMaj> after,
      Layers<DMatrixRMaj> raw, double clip) {
    for (int k = before.first(); k <= before.last(); k++) {
      DMatrixRMaj change = D.matMinus(after.at(k), before.at(k));
      for (int i = 0; i < change.numRows; i++) {
        for (int j = 0; j < change.numCols; j++) {
          double r = raw.at(k).get(i, j);
          double expected = Math.max(-clip, Math.min(clip, r));
          // after = before + clipped increment, rounded once: the change is off by at most an ulp of |before|.
          double tol = 2 * Math.ulp(Math.abs(before.at(k).get(i, j)) + clip);
          assertThat(change.get(i, j)).as(what + "^" + k + " (" + i + ", " + j + "), raw " + r)
              .isCloseTo(expected, org.assertj.core.data.Offset.offset(tol));
        }
      }
    }
  }

  private static void assertSame(String what, Layers<DMatrixRMaj> a, Layers<DMatrixRMaj> b) {
    List<DMatrixRMaj> la = a.asList();
    for (int k = a.first(); k <= a.last(); k++) {
      DMatrixRMaj x = a.at(k);
      double scale = Math.max(1, D.matNormMax(x));
      assertThat(D.matNormMax(D.matMinus(x, b.at(k)))).as(what + "^" + k + " of " + la.size())
          .isLessThanOrEqualTo(4 * Math.ulp(scale));
    }
  }

  private static Layers<DMatrixRMaj> perturb(Layers<DMatrixRMaj> m, Random rng) {
    return m.map(a -> D.matPlus(a, D.matrix(a.numRows, a.numCols, (i, j) -> rng.nextDouble() - 0.5)));
  }

  @Provide
  Arbitrary<NetworkSpec> networks() {
    return Arbitraries.of(Feedback.values()).flatMap(fb -> Networks.random(fb, 1, 3, 6));
  }
}
