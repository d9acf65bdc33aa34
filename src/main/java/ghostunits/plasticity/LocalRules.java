package ghostunits.plasticity;

import ghostunits.dynamics.GhostNetwork;
import ghostunits.dynamics.State;
import ghostunits.model.Layers;
import ghostunits.model.Model;
import ghostunits.model.Weights;
import ghostunits.numeric.Backend;

/**
 * The plasticity rules as functions of a network state (the training loops that apply them are
 * elsewhere). Each returns the update Delta of its weights; nothing is changed in place.
 */
public final class LocalRules {
  private LocalRules() {}

  /**
   * Eq. 6, rate-difference form: dW^k = (eta/beta) (rho(s^k) - rho(W^k r^{k-1})) (r^{k-1})^T.
   * The unit compares its somatic rate with the rate its bottom-up input alone would give; at an
   * equilibrium the bracket is rho(s^k) - rho(s^k - e^k). Dividing by beta makes eta the
   * effective SGD rate: dW^k -> -eta dC/dW^k as beta -> 0 (C1).
   */
  public static <S, V, M> Layers<M> weightUpdateRateDifference(
      GhostNetwork<S, V, M> net, State<V> state, V x, S eta, S beta) {
    Model<S, V, M> model = net.model();
    Backend<S, V, M> b = model.backend();
    Layers<V> r = net.rates(state, x);
    Weights<M> w = net.weights();
    Layers<V> drives = Layers.build(1, net.depth(), k -> b.times(w.w().at(k), r.at(k - 1)));
    Layers<V> u = rateDifferenceFactors(model, r, drives, eta, beta);
    return Layers.build(1, net.depth(), k -> b.outer(u.at(k), r.at(k - 1)));
  }

  /**
   * Eq. 6, rate-difference form, as its postsynaptic factors: dW^k = u^k (r^{k-1})^T with
   * u^k = (eta/beta) (r^k - rho(a^k)), where a^k = W^k r^{k-1} is the bottom-up drive, given
   * (a caller that has W^1 x need not recompute it; an oracle certifies the rank-one dW^k from
   * its factors). {@code rates} holds r^0..r^N, {@code drives} a^1..a^N.
   */
  public static <S, V, M> Layers<V> rateDifferenceFactors(
      Model<S, V, M> model, Layers<V> rates, Layers<V> drives, S eta, S beta) {
    Backend<S, V, M> b = model.backend();
    S factor = model.scalars().divide(eta, beta);
    return Layers.build(1, drives.count(), k ->
        b.scale(factor, b.minus(rates.at(k), model.rho(drives.at(k)))));
  }

  /** Eq. 6, first-order form: dW^k = (eta/beta) (rho'(s^k) * e^k) (r^{k-1})^T. */
  public static <S, V, M> Layers<M> weightUpdateFirstOrder(
      GhostNetwork<S, V, M> net, State<V> state, Layers<V> errors, V x, S eta, S beta) {
    Backend<S, V, M> b = net.model().backend();
    Layers<V> r = net.rates(state, x);
    Layers<V> u = firstOrderFactors(net.model(), state, errors, eta, beta);
    return Layers.build(1, net.depth(), k -> b.outer(u.at(k), r.at(k - 1)));
  }

  /** Eq. 6, first-order form, as its factors: dW^k = u^k (r^{k-1})^T, u^k = (eta/beta) (rho'(s^k) * e^k). */
  public static <S, V, M> Layers<V> firstOrderFactors(
      Model<S, V, M> model, State<V> state, Layers<V> errors, S eta, S beta) {
    Backend<S, V, M> b = model.backend();
    S factor = model.scalars().divide(eta, beta);
    return Layers.build(1, errors.count(), k ->
        b.scale(factor, b.hadamard(model.rhoPrime(state.s().at(k)), errors.at(k))));
  }

  /**
   * Eq. 4 (MA, free phase): dGamma^k = eta (s^{k+1} - g^k) (r^k)^T, gradient descent on
   * 1/2 ||s^{k+1} - g^k||^2 in Gamma^k with s^{k+1} held: Gamma^k learns to predict W^{k+1} r^k.
   */
  public static <S, V, M> Layers<M> ghostForwardUpdate(
      GhostNetwork<S, V, M> net, State<V> state, V x, S eta) {
    Backend<S, V, M> b = net.model().backend();
    Layers<V> r = net.rates(state, x);
    return Layers.build(1, net.depth() - 1, k ->
        b.outer(b.scale(eta, b.minus(state.s().at(k + 1), state.g().at(k))), r.at(k)));
  }

  /**
   * Eq. 5 (MA free phase) and eq. 15 (MB, fast): dOmega^k = eta e^k rho(g^k)^T, gradient descent
   * on 1/2 ||e^k||^2 in Omega^k: the ghosts learn to cancel the top-down feedback.
   */
  public static <S, V, M> Layers<M> ghostFeedbackUpdate(
      GhostNetwork<S, V, M> net, State<V> state, Layers<V> errors, S eta) {
    Model<S, V, M> model = net.model();
    Backend<S, V, M> b = model.backend();
    return Layers.build(1, net.depth() - 1, k ->
        b.outer(b.scale(eta, errors.at(k)), model.rho(state.g().at(k))));
  }
}
