package ghostunits.plasticity;

import static org.assertj.core.api.Assertions.assertThat;

import ghostunits.dynamics.GhostNetwork;
import ghostunits.dynamics.State;
import ghostunits.dynamics.Stimulus;
import ghostunits.plasticity.BatchDynamics.BatchState;
import org.ejml.data.DMatrixRMaj;

/**
 * The shared measurement of the fast-vs-faithful properties: one mini-batch through both paths of
 * {@link Trainer} from copies of the same network, and the checks, with tolerances derived as follows.
 *
 * <p>(1) Where the Euler run ended. Its end state z_E has a residual F(z_E) (the reference field,
 * measured). To first order an approximate equilibrium lies within ||J^{-1}|| |F| of the equilibrium
 * of its branch (J the Jacobian there, computed at the fast state); so the faithful and the fast state,
 * if they belong to the same equilibrium, satisfy
 * |z_E - z_F| <= 2 ||J^{-1}|| (|F(z_E)| + |F(z_F)|) (factor 2: room for the second-order term,
 * negligible when the residuals are small, which the run also reports).
 *
 * <p>(2) From states to weight updates. An entry of eq. 6 is c (rho(s_i^k) - rho((W^k r^{k-1})_i)) r_l^{k-1}
 * with the bracket and the rates in [-1, 1]; rho is L-Lipschitz (L = 1/4). Changing the state by at
 * most delta (max-norm over the s layers) changes rho(s^k) by <= L delta, W^k r^{k-1} by
 * <= ||W^k||_inf L delta, r^{k-1} by <= L delta, hence the entry by at most
 * c L (2 + L ||W^k||_inf) delta (mean value theorem: a bound, not an estimate), plus the rounding
 * of the two evaluations, 2 (8 + b) eps c.
 */
final class FastVsFaithful {
  static final double L = 0.25;
  static final double EPS = Math.ulp(1.0);

  /** What one comparison found. */
  record Outcome(double stateDistance, double eulerResidual, double kappa, double[] updateDiff, double[] updateBound,
      double[] updateSize) {}

  static Outcome compare(TrainConfig c, DenseNetwork start, DMatrixRMaj x, DMatrixRMaj y) {
    DenseNetwork netF = start.copy();
    DenseNetwork netE = start.copy();
    Trainer fast = new Trainer(c, Trainer.Path.FAST);
    Trainer faithful = new Trainer(c, Trainer.Path.FAITHFUL);
    DMatrixRMaj aF = BatchDynamics.drive(netF, x);
    DMatrixRMaj aE = BatchDynamics.drive(netE, x);
    BatchState zF = fast.nudgedState(netF, x, y, aF);
    BatchState zE = faithful.nudgedState(netE, x, y, aE);
    int n = start.depth();
    double[] factors = new double[n];
    for (int k = 1; k <= n; k++) {
      factors[k - 1] = c.weightFactor(k);
    }
    DMatrixRMaj[] dwF = BatchDynamics.weightUpdate(netF, x, aF, zF, factors);
    DMatrixRMaj[] dwE = BatchDynamics.weightUpdate(netE, x, aE, zE, factors);
    // Model B: both paths fitted Omega the same way (deterministic), so netF and netE agree.
    GhostNetwork<Double, double[], DMatrixRMaj> ref = Fixtures.reference(netF);
    double delta = 0;
    double residual = 0;
    double kappaMax = 0;
    for (int j = 0; j < x.numCols; j++) {
      Stimulus<Double, double[]> stim = Fixtures.stimulus(x, y, j, c.beta());
      State<double[]> sF = Fixtures.state(zF, j);
      State<double[]> sE = Fixtures.state(zE, j);
      double fE = Fixtures.maxAbs(ref.flatten(ref.field(sE, stim)));
      double fF = Fixtures.maxAbs(ref.flatten(ref.field(sF, stim)));
      double kappa = Fixtures.inverseNorm(ref.jacobian(sF, stim));
      double dist = Fixtures.maxAbsDiff(ref.flatten(sE), ref.flatten(sF));
      double size = Fixtures.maxAbs(ref.flatten(sF));
      assertThat(dist).as("example %d: |z_Euler - z_fast| vs 2 kappa (|F_E| + |F_F|), kappa %.3g, |F_E| %.3g", j, kappa, fE)
          .isLessThanOrEqualTo(2 * kappa * (fE + fF) + 8 * EPS * (1 + size));
      for (int k = 1; k <= n; k++) {
        delta = Math.max(delta, Fixtures.maxAbsDiff(sE.s().at(k), sF.s().at(k)));
      }
      residual = Math.max(residual, fE);
      kappaMax = Math.max(kappaMax, kappa);
    }
    double[] diff = new double[n];
    double[] bound = new double[n];
    double[] size = new double[n];
    for (int k = 1; k <= n; k++) {
      double ck = Math.abs(factors[k - 1]);
      bound[k - 1] = ck * L * (2 + L * Fixtures.normInf(start.w(k))) * delta + 2 * (8 + x.numCols) * EPS * ck;
      for (int i = 0; i < dwF[k - 1].data.length; i++) {
        diff[k - 1] = Math.max(diff[k - 1], Math.abs(dwF[k - 1].data[i] - dwE[k - 1].data[i]));
        size[k - 1] = Math.max(size[k - 1], Math.abs(dwF[k - 1].data[i]));
      }
      assertThat(diff[k - 1]).as("dW^%d fast vs faithful (state distance %.3g)", k, delta)
          .isLessThanOrEqualTo(bound[k - 1]);
    }
    return new Outcome(delta, residual, kappaMax, diff, bound, size);
  }
}
