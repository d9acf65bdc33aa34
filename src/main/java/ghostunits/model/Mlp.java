package ghostunits.model;

import ghostunits.numeric.Backend;
import java.util.ArrayList;
import java.util.List;

/**
 * The multilayer perceptron the ghost-unit network is compared with: forward pass, backprop errors
 * delta^k (with respect to the rates r^k), weight gradients, and feedback alignment's errors.
 */
public final class Mlp {
  private Mlp() {}

  /** s_hat^k, k = 1..N and r_hat^k, k = 0..N (r_hat^0 = x). */
  public record Forward<V>(Layers<V> s, Layers<V> r) {}

  public static <S, V, M> Forward<V> forward(Model<S, V, M> model, Layers<M> w, V x) {
    Backend<S, V, M> b = model.backend();
    List<V> s = new ArrayList<>();
    List<V> r = new ArrayList<>();
    r.add(x);
    for (int k = 1; k <= w.count(); k++) {
      V sk = b.times(w.at(k), r.get(k - 1));
      s.add(sk);
      r.add(model.rho(sk));
    }
    return new Forward<>(Layers.of(1, s), Layers.of(0, r));
  }

  /** Backprop: delta^N = dC/dr^N, delta^k = (W^{k+1})^T (rho'(s_hat^{k+1}) * delta^{k+1}). */
  public static <S, V, M> Layers<V> deltas(Model<S, V, M> model, Layers<M> w, Forward<V> fwd, V y) {
    Backend<S, V, M> b = model.backend();
    return propagate(model, fwd, y, (k, v) -> b.transposeTimes(w.at(k + 1), v), w.count());
  }

  /** Feedback alignment: delta_FA^N = dC/dr^N, delta_FA^k = B^k (rho'(s_hat^{k+1}) * delta_FA^{k+1}). */
  public static <S, V, M> Layers<V> deltasFeedbackAlignment(
      Model<S, V, M> model, Layers<M> feedback, Forward<V> fwd, V y) {
    Backend<S, V, M> b = model.backend();
    return propagate(model, fwd, y, (k, v) -> b.times(feedback.at(k), v), feedback.count() + 1);
  }

  /** The top-down path of layer k: maps rho'(s^{k+1}) * delta^{k+1} to delta^k. */
  private interface TopDown<V> {
    V apply(int k, V v);
  }

  private static <S, V, M> Layers<V> propagate(
      Model<S, V, M> model, Forward<V> fwd, V y, TopDown<V> path, int n) {
    Backend<S, V, M> b = model.backend();
    List<V> reversed = new ArrayList<>();
    V delta = model.cost().gradient(b, fwd.r().at(n), y);
    reversed.add(delta);
    for (int k = n - 1; k >= 1; k--) {
      delta = path.apply(k, b.hadamard(model.rhoPrime(fwd.s().at(k + 1)), delta));
      reversed.add(delta);
    }
    List<V> ordered = new ArrayList<>();
    for (int i = reversed.size() - 1; i >= 0; i--) {
      ordered.add(reversed.get(i));
    }
    return Layers.of(1, ordered);
  }

  /** dC/dW^k = (rho'(s_hat^k) * delta^k) (r_hat^{k-1})^T, for the given deltas (backprop or FA). */
  public static <S, V, M> Layers<M> gradients(Model<S, V, M> model, Forward<V> fwd, Layers<V> deltas) {
    Backend<S, V, M> b = model.backend();
    Layers<V> u = gradientFactors(model, fwd, deltas);
    return Layers.build(1, deltas.count(), k -> b.outer(u.at(k), fwd.r().at(k - 1)));
  }

  /** The gradient as factors: dC/dW^k = u^k (r_hat^{k-1})^T with u^k = rho'(s_hat^k) * delta^k. */
  public static <S, V, M> Layers<V> gradientFactors(Model<S, V, M> model, Forward<V> fwd, Layers<V> deltas) {
    Backend<S, V, M> b = model.backend();
    return Layers.build(1, deltas.count(), k -> b.hadamard(model.rhoPrime(fwd.s().at(k)), deltas.at(k)));
  }
}
