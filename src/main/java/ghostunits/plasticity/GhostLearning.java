package ghostunits.plasticity;

import ghostunits.dynamics.GhostNetwork;
import ghostunits.dynamics.State;
import ghostunits.dynamics.Stimulus;
import ghostunits.model.Layers;
import ghostunits.model.Model;
import ghostunits.model.Weights;
import ghostunits.numeric.Backend;
import ghostunits.numeric.ScalarField;
import ghostunits.units.Dimensionless;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Model A's ghost learning (eq. 4 and 5) over a stream of inputs, free phase only: for each input
 * the free phase relaxes, then Gamma^k += eta_GP (s^{k+1} - g^k) (r^k)^T and
 * Omega^k += eta_PG e^k rho(g^k)^T, both evaluated at the state reached. W and B do not change.
 * The ghosts' targets are Gamma^k = W^{k+1}, Omega^k = B^k (specs/model.md, GL).
 */
public final class GhostLearning {
  private GhostLearning() {}

  /**
   * The learned weights and, after every {@code every} inputs (entry 0: before any), the
   * distances to the targets: gammaDistance[k - 1][i] = ||Gamma^k - W^{k+1}||_F,
   * omegaDistance[k - 1][i] = ||Omega^k - B^k||_F.
   */
  public record Trace<M>(Weights<M> weights, int[] seen, double[][] gammaDistance, double[][] omegaDistance) {}

  /** The weights after one free phase on x and one step of eq. 4 and eq. 5. */
  public static <S, V, M> Weights<M> step(Model<S, V, M> model, Weights<M> w, V x,
      @Dimensionless double etaGamma, @Dimensionless double etaOmega, Relaxation relaxation) {
    Backend<S, V, M> b = model.backend();
    GhostNetwork<S, V, M> net = new GhostNetwork<>(model, w);
    Stimulus<S, V> free = new Stimulus<>(x, b.zeros(net.width(net.depth())), model.scalars().zero());
    State<V> state = relaxation.relax(net, free, net.forwardState(x));
    Layers<M> dGamma = LocalRules.ghostForwardUpdate(net, state, x, model.scalar(etaGamma));
    Layers<M> dOmega = LocalRules.ghostFeedbackUpdate(net, state, net.errors(state, free), model.scalar(etaOmega));
    return w.withGhosts(b, FastGhostCancellation.add(b, w.gamma(), dGamma),
        FastGhostCancellation.add(b, w.omega(), dOmega));
  }

  /** {@link #step} over inputs.apply(0) .. inputs.apply(count - 1). */
  public static <S, V, M> Trace<M> run(Model<S, V, M> model, Weights<M> w, IntFunction<V> inputs, int count,
      @Dimensionless double etaGamma, @Dimensionless double etaOmega, Relaxation relaxation, int every) {
    if (every < 1 || count < 0) {
      throw new IllegalArgumentException("ghost learning needs count >= 0 and a trace interval >= 1, got count "
          + count + ", every " + every);
    }
    int points = count / every + 1;
    int hidden = w.depth() - 1;
    int[] seen = new int[points];
    double[][] dg = new double[hidden][points];
    double[][] dO = new double[hidden][points];
    Weights<M> current = w;
    record(model, current, dg, dO, 0);
    for (int i = 0; i < count; i++) {
      current = step(model, current, inputs.apply(i), etaGamma, etaOmega, relaxation);
      if ((i + 1) % every == 0) {
        seen[(i + 1) / every] = i + 1;
        record(model, current, dg, dO, (i + 1) / every);
      }
    }
    return new Trace<>(current, seen, dg, dO);
  }

  private static <S, V, M> void record(Model<S, V, M> model, Weights<M> w, double[][] dg, double[][] dO, int at) {
    Backend<S, V, M> b = model.backend();
    ScalarField<S> f = model.scalars();
    List<M> gamma = w.gamma().asList();
    for (int k = 1; k <= gamma.size(); k++) {
      dg[k - 1][at] = f.toDouble(b.matNormFrobenius(b.matMinus(w.gamma().at(k), w.w().at(k + 1))));
      dO[k - 1][at] = f.toDouble(b.matNormFrobenius(b.matMinus(w.omega().at(k), w.b().at(k))));
    }
  }

  /**
   * Eq. 4's objective for layer k: 1/2 |s^{k+1} - Gamma^k r^k|_2^2, with s^{k+1} and r^k held
   * (g^k at its equilibrium Gamma^k r^k). Eq. 4 is -eta times its gradient in Gamma^k.
   */
  public static <S, V, M> S ghostForwardLoss(Backend<S, V, M> b, M gamma, V rk, V sNext) {
    return halfSquare(b, b.minus(sNext, b.times(gamma, rk)));
  }

  /**
   * Eq. 5's objective for layer k: 1/2 |e^k|_2^2 = 1/2 |B^k r^{k+1} - Omega^k rho(g^k)|_2^2, with
   * r^{k+1} and g^k held. Eq. 5 is -eta times its gradient in Omega^k.
   */
  public static <S, V, M> S ghostFeedbackLoss(Backend<S, V, M> b, M omega, V feedback, V ghostRates) {
    return halfSquare(b, b.minus(feedback, b.times(omega, ghostRates)));
  }

  private static <S, V, M> S halfSquare(Backend<S, V, M> b, V v) {
    ScalarField<S> f = b.scalars();
    return f.divide(b.dot(v, v), f.fromDouble(2));
  }
}
