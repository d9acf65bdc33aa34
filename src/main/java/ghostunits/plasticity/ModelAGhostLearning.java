package ghostunits.plasticity;

import ghostunits.dynamics.GhostNetwork;
import ghostunits.dynamics.State;
import ghostunits.dynamics.Stimulus;
import ghostunits.model.Layers;
import ghostunits.model.Model;
import ghostunits.model.Weights;
import ghostunits.numeric.Backend;
import ghostunits.units.Dimensionless;

/**
 * One training step of Model A with learned ghosts (specs/model.md 5.1): the free phase relaxes and
 * eq. 4-5 update Gamma and Omega at its state; the weakly-clamped phase then relaxes from the free
 * state with the new ghosts, and eq. 6 (rate-difference form) updates W at its state. This is the
 * reference that the batched training path ({@link Trainer}, ghostMode "learned") is checked against.
 */
public final class ModelAGhostLearning {
  private ModelAGhostLearning() {}

  /**
   * The weights after one step on (x, y).
   *
   * @param weightFactor c in dW^k = c (rho(s^k) - rho(W^k r^{k-1})) (r^{k-1})^T (eta_W, or eta_W / beta)
   * @param etaGhost eta_GP = eta_PG of eq. 4 and 5
   */
  public static <S, V, M> Weights<M> step(Model<S, V, M> model, Weights<M> w, V x, V y,
      @Dimensionless double beta, @Dimensionless double weightFactor, @Dimensionless double etaGhost,
      Relaxation relaxation) {
    Backend<S, V, M> b = model.backend();
    GhostNetwork<S, V, M> freeNet = new GhostNetwork<>(model, w);
    Stimulus<S, V> free = new Stimulus<>(x, y, model.scalars().zero());
    State<V> freeState = relaxation.relax(freeNet, free, freeNet.forwardState(x));
    S eta = model.scalar(etaGhost);
    Layers<M> dGamma = LocalRules.ghostForwardUpdate(freeNet, freeState, x, eta);
    Layers<M> dOmega = LocalRules.ghostFeedbackUpdate(freeNet, freeState, freeNet.errors(freeState, free), eta);
    Weights<M> learned = w.withGhosts(b, FastGhostCancellation.add(b, w.gamma(), dGamma),
        FastGhostCancellation.add(b, w.omega(), dOmega));
    GhostNetwork<S, V, M> nudgedNet = new GhostNetwork<>(model, learned);
    Stimulus<S, V> nudged = free.withBeta(model.scalar(beta));
    State<V> nudgedState = relaxation.relax(nudgedNet, nudged, freeState);
    // LocalRules divides by its beta argument: (c / 1) is the factor itself.
    Layers<M> dW = LocalRules.weightUpdateRateDifference(nudgedNet, nudgedState, x, model.scalar(weightFactor),
        model.scalars().one());
    return learned.withW(b, FastGhostCancellation.add(b, learned.w(), dW));
  }
}
