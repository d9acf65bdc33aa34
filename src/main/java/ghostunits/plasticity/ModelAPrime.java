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

/**
 * Model A' (paper Table 3; specs/model.md 5.2): every rule of Model A (eq. 4, 5 and 6) is active
 * in both phases, and every increment is clipped entry by entry to [-clip, clip].
 *
 * <p>Reading used here (the paper does not spell it out): eq. 6 divides by beta, which is 0 in the
 * free phase; both phases use the same factor eta_W / beta_nudge, beta_nudge being the
 * weakly-clamped phase's beta. Eq. 6 is taken in its rate-difference form (the local one). Within
 * a phase all rules are evaluated at the state that phase ended in and applied together; the
 * weakly-clamped phase relaxes with the weights the free phase left, starting from the free
 * state. Under TF, B^k follows W after each phase's update.
 */
public final class ModelAPrime {
  private ModelAPrime() {}

  /** The paper's update clipping for MA' (Table 3). */
  public static final double PAPER_CLIP = 2;

  /** Learning rates of eq. 6 (eta_W), eq. 4 (eta_GP) and eq. 5 (eta_PG). */
  public record Rates(@Dimensionless double etaW, @Dimensionless double etaGamma, @Dimensionless double etaOmega) {}

  /** The weights after one free and one weakly-clamped phase on (x, y). */
  public static <S, V, M> Weights<M> step(Model<S, V, M> model, Weights<M> w, V x, V y,
      @Dimensionless double betaNudge, Rates rates, @Dimensionless double clip, Relaxation relaxation) {
    if (!(betaNudge != 0 && Double.isFinite(betaNudge))) {
      throw new IllegalArgumentException("MA' needs a finite nonzero weakly-clamped beta (eq. 6 divides by it), got "
          + betaNudge);
    }
    if (!(clip > 0)) {
      throw new IllegalArgumentException("MA' update clipping must be > 0, got " + clip);
    }
    GhostNetwork<S, V, M> freeNet = new GhostNetwork<>(model, w);
    Stimulus<S, V> free = new Stimulus<>(x, y, model.scalars().zero());
    State<V> freeState = relaxation.relax(freeNet, free, freeNet.forwardState(x));
    Weights<M> afterFree = phase(freeNet, freeState, free, betaNudge, rates, clip);
    GhostNetwork<S, V, M> nudgedNet = new GhostNetwork<>(model, afterFree);
    Stimulus<S, V> nudged = free.withBeta(model.scalar(betaNudge));
    State<V> nudgedState = relaxation.relax(nudgedNet, nudged, freeState);
    return phase(nudgedNet, nudgedState, nudged, betaNudge, rates, clip);
  }

  /** Eq. 4, 5 and 6 at the state the phase ended in, each increment clipped, applied together. */
  static <S, V, M> Weights<M> phase(GhostNetwork<S, V, M> net, State<V> state, Stimulus<S, V> stim,
      @Dimensionless double betaNudge, Rates rates, @Dimensionless double clip) {
    Model<S, V, M> model = net.model();
    Backend<S, V, M> b = model.backend();
    S c = model.scalar(clip);
    Layers<M> dW = LocalRules.weightUpdateRateDifference(net, state, stim.x(), model.scalar(rates.etaW()),
        model.scalar(betaNudge));
    Layers<M> dGamma = LocalRules.ghostForwardUpdate(net, state, stim.x(), model.scalar(rates.etaGamma()));
    Layers<M> dOmega = LocalRules.ghostFeedbackUpdate(net, state, net.errors(state, stim),
        model.scalar(rates.etaOmega()));
    Weights<M> w = net.weights();
    Weights<M> withW = w.withW(b, FastGhostCancellation.add(b, w.w(), clip(b, dW, c)));
    return withW.withGhosts(b, FastGhostCancellation.add(b, w.gamma(), clip(b, dGamma, c)),
        FastGhostCancellation.add(b, w.omega(), clip(b, dOmega, c)));
  }

  /** Every entry of every matrix clipped to [-c, c]. */
  public static <S, V, M> Layers<M> clip(Backend<S, V, M> b, Layers<M> d, S c) {
    ScalarField<S> f = b.scalars();
    S lo = f.negate(c);
    return d.map(m -> b.matrix(b.rows(m), b.cols(m), (i, j) -> {
      S v = b.get(m, i, j);
      return f.compare(v, c) > 0 ? c : f.compare(v, lo) < 0 ? lo : v;
    }));
  }
}
