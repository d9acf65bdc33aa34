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
   *     of the two cancelling terms (rounding is relative to it)
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

  /** The MB network with Omega fitted by the least-change fast path, at its MLP state. */
  public static <S, V, M> AtMlp leastChangeAtMlp(Backend<S, V, M> be, ModelB spec) {
    Model<S, V, M> model = Model.paper(be);
    V x = spec.x(be);
    Weights<M> w = FastGhostCancellation.leastChange(model, spec.weights(be), x);
    return atMlp(model, w, new Stimulus<>(x, spec.y(be), model.scalars().zero()));
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
