package ghostunits.theory;

import ghostunits.dynamics.Equilibrium;
import ghostunits.dynamics.EquilibriumSolver;
import ghostunits.dynamics.GhostNetwork;
import ghostunits.dynamics.State;
import ghostunits.dynamics.Stimulus;
import ghostunits.model.Layers;
import ghostunits.model.Mlp;
import ghostunits.model.Model;
import ghostunits.model.ModelB;
import ghostunits.model.Weights;
import ghostunits.numeric.Backend;
import ghostunits.numeric.ScalarField;
import ghostunits.plasticity.FastGhostCancellation;

/**
 * T2a's measurements (proofs-notes/T2a.md), one generic code path for the double and apfloat
 * properties: how well a fitted Omega cancels the feedback at the MLP state, how far the fitted
 * network's free state is from the MLP state, and the bounds the proof gives for both.
 */
public final class T2aCheck {
  private T2aCheck() {}

  /**
   * The MLP state z_hat of a network, and what T2a says about it.
   *
   * @param cancellation per hidden k: max|B^k r_hat^{k+1} - Omega^k rho(Gamma^k r_hat^k)| ((H2)'s residual)
   * @param cancellationScale per hidden k: |B^k r_hat^{k+1}| + ||Omega^k||_inf |rho(g_hat^k)|, the size
   *     of the two cancelling terms (rounding is relative to it); for a least-change fit also
   *     + ||Omega_0^k||_inf |rho(g_hat^k)|, the size of the terms Omega was built from
   * @param fieldAtMlp max|F(z_hat; 0)|: zero up to rounding when z_hat is an equilibrium (claim (a))
   * @param eulerMove max-norm of one Euler step (h = 1) from z_hat
   * @param newtonIterations Newton iterations from z_hat (its stopping rule: 0 or 1 at an equilibrium)
   */
  public record AtMlp(double[] cancellation, double[] cancellationScale, double fieldAtMlp, double eulerMove,
      int newtonIterations) {}

  /**
   * For a free state z (from the fast rule): how far it is from z_hat, and the bound that T2a(b)'s
   * upward induction gives from its errors and residual.
   *
   * @param somaDistance max_k |s^k - s_hat^k|
   * @param ghostDistance max_k |g^k - g_hat^k|
   * @param somaBound d_1 = |e^1| + r, d_k = |e^k| + r + ||W^k||_inf L d_{k-1} (r: the field's residual)
   * @param ghostBound max_k (||Gamma^k||_inf L d_k + r)
   * @param hiddenError max_k |e^k| at z, hidden k
   */
  public record Distance(double somaDistance, double ghostDistance, double somaBound, double ghostBound,
      double hiddenError) {}

  /**
   * How a fit of Omega by the faithful eq. 15 (weights {@code fitted}, free state {@code z}) compares
   * with T2a and with the least-change fit from the same start. Per hidden layer k (entry k - 1):
   *
   * @param distance the state's distance from the MLP state, with T2a(b)'s bound
   * @param cancellation (H2)'s residual at the MLP state for the fitted Omega
   * @param cancellationBound |e^k| + L (||B^k|| d_{k+1} + ||Omega^k|| |g^k - g_hat^k|) from the bounds of
   *     {@code distance}, plus the rounding of (H2)'s residual, 4 (m_k + 4) u times the size of its terms
   * @param leastChange ||Omega_LC - Omega_0||_F
   * @param fitChange ||Omega_fit - Omega_0||_F
   * @param nearestSlack sqrt(n_k) times cancellation / |u|_2: any Omega with (H2)'s residual at most
   *     cancellation is at least leastChange - nearestSlack from Omega_0
   * @param uniqueDifference max|Omega_fit - Omega_LC| when m_k = 1 (the solution is unique), else NaN
   * @param uniqueBound cancellation / u for m_k = 1, else NaN
   */
  public record FitReport(Distance distance, double[] cancellation, double[] cancellationBound,
      double[] leastChange, double[] fitChange, double[] nearestSlack, double[] uniqueDifference,
      double[] uniqueBound) {}

  public static <S, V, M> FitReport fit(Model<S, V, M> model, Weights<M> start, Weights<M> fitted,
      Stimulus<S, V> free, State<V> z) {
    Backend<S, V, M> b = model.backend();
    ScalarField<S> f = model.scalars();
    double eps = f.toDouble(f.epsilon());
    Distance dist = distance(model, fitted, free, z);
    AtMlp at = atMlp(model, fitted, free);
    Weights<M> lc = FastGhostCancellation.leastChange(model, start, free.x());
    Mlp.Forward<V> fwd = Mlp.forward(model, start.w(), free.x());
    int hidden = start.depth() - 1;
    double[] bound = new double[hidden];
    double[] lcChange = new double[hidden];
    double[] fitChange = new double[hidden];
    double[] slack = new double[hidden];
    double[] uniqueDiff = new double[hidden];
    double[] uniqueBound = new double[hidden];
    for (int k = 1; k <= hidden; k++) {
      M omega = fitted.omega().at(k);
      int m = b.cols(omega);
      bound[k - 1] = dist.hiddenError() + 0.25 * (f.toDouble(Theorem2.normInf(b, fitted.b().at(k))) * dist.somaBound()
          + f.toDouble(Theorem2.normInf(b, omega)) * dist.ghostBound()) + 4 * (m + 4) * eps * at.cancellationScale()[k - 1];
      V u = model.rho(b.times(start.gamma().at(k), fwd.r().at(k)));
      double uNorm = Math.sqrt(f.toDouble(b.dot(u, u)));
      lcChange[k - 1] = f.toDouble(b.matNormFrobenius(b.matMinus(lc.omega().at(k), start.omega().at(k))));
      fitChange[k - 1] = f.toDouble(b.matNormFrobenius(b.matMinus(omega, start.omega().at(k))));
      slack[k - 1] = Math.sqrt(b.rows(omega)) * at.cancellation()[k - 1] / uNorm;
      if (m == 1) {
        uniqueDiff[k - 1] = f.toDouble(b.matNormMax(b.matMinus(omega, lc.omega().at(k))));
        uniqueBound[k - 1] = at.cancellation()[k - 1] / f.toDouble(b.get(u, 0));
      } else {
        uniqueDiff[k - 1] = Double.NaN;
        uniqueBound[k - 1] = Double.NaN;
      }
    }
    return new FitReport(dist, at.cancellation(), bound, lcChange, fitChange, slack, uniqueDiff, uniqueBound);
  }

  /** The MB network with Omega fitted by the least-change fast path, at its MLP state. */
  public static <S, V, M> AtMlp leastChangeAtMlp(Backend<S, V, M> be, ModelB spec) {
    Model<S, V, M> model = Model.paper(be);
    V x = spec.x(be);
    Weights<M> start = spec.weights(be);
    Weights<M> w = FastGhostCancellation.leastChange(model, start, x);
    AtMlp at = atMlp(model, w, new Stimulus<>(x, spec.y(be), model.scalars().zero()));
    // Omega = Omega_0 + (v - Omega_0 u) u^T / |u|^2 is itself computed in rounded arithmetic: its
    // rounding is relative to Omega_0 u too, which can exceed both cancelling terms (seen in CI:
    // residual 2.8e-18 against an evaluation-only bound of 1.1e-18). Add that term to the scale.
    Backend<S, V, M> b = be;
    ScalarField<S> f = model.scalars();
    Mlp.Forward<V> fwd = Mlp.forward(model, w.w(), x);
    double[] scale = at.cancellationScale().clone();
    for (int k = 1; k < w.depth(); k++) {
      V u = model.rho(b.times(w.gamma().at(k), fwd.r().at(k)));
      scale[k - 1] += f.toDouble(Theorem2.normInf(b, start.omega().at(k))) * f.toDouble(b.normMax(u));
    }
    return new AtMlp(at.cancellation(), scale, at.fieldAtMlp(), at.eulerMove(), at.newtonIterations());
  }

  public static <S, V, M> AtMlp atMlp(Model<S, V, M> model, Weights<M> w, Stimulus<S, V> free) {
    Backend<S, V, M> b = model.backend();
    ScalarField<S> f = model.scalars();
    GhostNetwork<S, V, M> net = new GhostNetwork<>(model, w);
    State<V> zHat = net.forwardState(free.x());
    Mlp.Forward<V> fwd = Mlp.forward(model, w.w(), free.x());
    int hidden = w.depth() - 1;
    double[] cancel = new double[hidden];
    double[] scale = new double[hidden];
    for (int k = 1; k <= hidden; k++) {
      V u = model.rho(b.times(w.gamma().at(k), fwd.r().at(k)));
      V target = b.times(w.b().at(k), fwd.r().at(k + 1));
      cancel[k - 1] = f.toDouble(b.normMax(b.minus(target, b.times(w.omega().at(k), u))));
      scale[k - 1] = f.toDouble(b.normMax(target)) + f.toDouble(Theorem2.normInf(b, w.omega().at(k)))
          * f.toDouble(b.normMax(u));
    }
    double field = f.toDouble(b.normMax(net.flatten(net.field(zHat, free))));
    State<V> stepped = net.eulerStep(zHat, free, f.one());
    double move = f.toDouble(b.normMax(b.minus(net.flatten(stepped), net.flatten(zHat))));
    Equilibrium<S, V> eq = EquilibriumSolver.solve(net, free, zHat);
    return new AtMlp(cancel, scale, field, move, eq.iterations());
  }

  /** Distance of a free state of the network w from its MLP state, with T2a(b)'s bound (L = 1/4, sigmoid). */
  public static <S, V, M> Distance distance(Model<S, V, M> model, Weights<M> w, Stimulus<S, V> free, State<V> z) {
    Backend<S, V, M> b = model.backend();
    ScalarField<S> f = model.scalars();
    GhostNetwork<S, V, M> net = new GhostNetwork<>(model, w);
    State<V> zHat = net.forwardState(free.x());
    Layers<V> e = net.errors(z, free);
    double r = f.toDouble(b.normMax(net.flatten(net.field(z, free))));
    double lip = 0.25;
    double ds = 0;
    double dg = 0;
    double boundS = 0;
    double boundG = 0;
    double d = 0;
    for (int k = 1; k <= w.depth(); k++) {
      double wNorm = k == 1 ? 0 : f.toDouble(Theorem2.normInf(b, w.w().at(k)));
      d = f.toDouble(b.normMax(e.at(k))) + r + wNorm * lip * d;
      boundS = Math.max(boundS, d);
      ds = Math.max(ds, f.toDouble(b.normMax(b.minus(z.s().at(k), zHat.s().at(k)))));
      if (k < w.depth()) {
        boundG = Math.max(boundG, f.toDouble(Theorem2.normInf(b, w.gamma().at(k))) * lip * d + r);
        dg = Math.max(dg, f.toDouble(b.normMax(b.minus(z.g().at(k), zHat.g().at(k)))));
      }
    }
    return new Distance(ds, dg, boundS, boundG, f.toDouble(FastGhostCancellation.hiddenError(model, e)));
  }
}
