package ghostunits.theory;

import ghostunits.dynamics.Equilibrium;
import ghostunits.dynamics.GhostNetwork;
import ghostunits.dynamics.State;
import ghostunits.model.Layers;
import ghostunits.model.Model;
import ghostunits.model.Weights;
import ghostunits.numeric.Backend;
import ghostunits.numeric.ScalarField;
import ghostunits.numeric.ShapeMismatchException;
import java.util.ArrayList;
import java.util.List;

/**
 * Theorem 2(c) at a free equilibrium (proofs-notes/T2c.md): the linear response (xi, eps), the
 * mismatch matrices M^k = (B^k D^{k+1} W^{k+1} - Omega^k G^k Gamma^k) D^k, the bias of eps against
 * the signal backprop (TF) or feedback alignment (FA) would deliver, and the residuals of the
 * linearised equations.
 */
public final class Theorem2 {
  private Theorem2() {}

  /**
   * T2c's quantities for one network and example.
   *
   * @param free the free equilibrium's state the analysis linearises at
   * @param response xi, gamma, eps (one solve with the dynamics' Jacobian, LinearResponse)
   * @param mismatch M^k, k = 1..N-1
   * @param target -delta^k (TF) or -delta_FA^k (FA), k = 1..N: what e^k/beta would tend to without bias
   * @param bias |eps^k - target^k| / |target^k| (max-norms), k = 1..N
   * @param recursionResidual eps^k - B^k D^{k+1} eps^{k+1} - M^k xi^k, k = 1..N-1 (claim (c): zero)
   * @param somaResidual xi^k - W^k D^{k-1} xi^{k-1} - eps^k, k = 1..N (claim (b): zero)
   * @param ghostResidual gamma^k - Gamma^k D^k xi^k, k = 1..N-1 (claim (b): zero)
   */
  public record Analysis<V, M>(
      State<V> free,
      LinearResponse.Response<V> response,
      Layers<M> mismatch,
      Layers<V> target,
      double[] bias,
      Layers<V> recursionResidual,
      Layers<V> somaResidual,
      Layers<V> ghostResidual) {}

  /** T2c at the probe's free equilibrium (Newton from the MLP state, beta = 0). */
  public static <S, V, M> Analysis<V, M> analyse(Probe<S, V, M> p) {
    Equilibrium<S, V> free = p.equilibrium(0.0);
    GhostNetwork<S, V, M> net = p.net;
    Backend<S, V, M> b = p.backend;
    Model<S, V, M> model = p.model;
    Weights<M> w = net.weights();
    State<V> state = free.state();
    int n = net.depth();
    LinearResponse.Response<V> lr = LinearResponse.at(net, free, p.stimulus(0.0));
    Layers<M> mm = mismatch(net, state);
    Layers<V> target = T2Sweep.target(p);
    double[] bias = new double[n];
    for (int k = 1; k <= n; k++) {
      bias[k - 1] = p.norm(b.minus(lr.eps().at(k), target.at(k))) / p.norm(target.at(k));
    }
    Layers<V> d = Layers.build(1, n, k -> model.rhoPrime(state.s().at(k)));
    Layers<V> recursion = Layers.build(1, n - 1, k -> {
      V topDown = b.times(w.b().at(k), b.hadamard(d.at(k + 1), lr.eps().at(k + 1)));
      return b.minus(b.minus(lr.eps().at(k), topDown), b.times(mm.at(k), lr.xi().at(k)));
    });
    Layers<V> soma = Layers.build(1, n, k -> {
      V rest = b.minus(lr.xi().at(k), lr.eps().at(k));
      return k == 1 ? rest : b.minus(rest, b.times(w.w().at(k), b.hadamard(d.at(k - 1), lr.xi().at(k - 1))));
    });
    Layers<V> ghost = Layers.build(1, n - 1, k ->
        b.minus(lr.gamma().at(k), b.times(w.gamma().at(k), b.hadamard(d.at(k), lr.xi().at(k)))));
    return new Analysis<>(state, lr, mm, target, bias, recursion, soma, ghost);
  }

  /**
   * M^k = (B^k D^{k+1} W^{k+1} - Omega^k G^k Gamma^k) D^k with D^k = diag rho'(s^k),
   * G^k = diag rho'(g^k) at the given state, k = 1..N-1: the feedback loop minus the ghost loop.
   */
  public static <S, V, M> Layers<M> mismatch(GhostNetwork<S, V, M> net, State<V> state) {
    Backend<S, V, M> b = net.model().backend();
    Loops<M> loops = loops(net, state);
    return Layers.build(1, net.depth() - 1, k -> b.matMinus(loops.feedback().at(k), loops.ghost().at(k)));
  }

  /**
   * The two paths by which a move of layer k returns into its own error (k = 1..N-1): up through
   * W^{k+1} and back through B^k, and into the ghosts and back as inhibition.
   *
   * @param feedback B^k D^{k+1} W^{k+1} D^k
   * @param ghost Omega^k G^k Gamma^k D^k
   */
  public record Loops<M>(Layers<M> feedback, Layers<M> ghost) {}

  /**
   * Both loops at the given state, built column by column:
   * feedback e_j = d_j B^k (D^{k+1} W^{k+1} e_j), ghost e_j = d_j Omega^k (G^k Gamma^k e_j).
   */
  public static <S, V, M> Loops<M> loops(GhostNetwork<S, V, M> net, State<V> state) {
    Model<S, V, M> model = net.model();
    Backend<S, V, M> b = model.backend();
    Weights<M> w = net.weights();
    List<M> feedback = new ArrayList<>();
    List<M> ghost = new ArrayList<>();
    for (int k = 1; k < net.depth(); k++) {
      V dk = model.rhoPrime(state.s().at(k));
      V dNext = model.rhoPrime(state.s().at(k + 1));
      V gk = model.rhoPrime(state.g().at(k));
      int nk = net.width(k);
      List<V> fCols = new ArrayList<>();
      List<V> gCols = new ArrayList<>();
      for (int j = 0; j < nk; j++) {
        S d = b.get(dk, j);
        fCols.add(b.scale(d, b.times(w.b().at(k), b.hadamard(dNext, column(b, w.w().at(k + 1), j)))));
        gCols.add(b.scale(d, b.times(w.omega().at(k), b.hadamard(gk, column(b, w.gamma().at(k), j)))));
      }
      feedback.add(b.matrix(nk, nk, (i, j) -> b.get(fCols.get(j), i)));
      ghost.add(b.matrix(nk, nk, (i, j) -> b.get(gCols.get(j), i)));
    }
    return new Loops<>(Layers.of(1, feedback), Layers.of(1, ghost));
  }

  /**
   * One hidden layer (N = 2): eps^1 = (I - M^1)^{-1} B^1 D^2 eps^2 with eps^2 = -C'(r_hat^2)
   * (proofs-notes/T2c.md, step 9): T2c(e)'s closed form, solved independently of the full Jacobian.
   */
  public static <S, V, M> V oneHiddenLayerEps(Probe<S, V, M> p, State<V> free, M m1) {
    if (p.net.depth() != 2) {
      throw new ShapeMismatchException("the closed form of T2c(e) is for one hidden layer (N = 2), got N = "
          + p.net.depth());
    }
    Backend<S, V, M> b = p.backend;
    V eps2 = p.negate(p.model.cost().gradient(b, p.model.rho(free.s().at(2)), p.y));
    V rhs = b.times(p.net.weights().b().at(1), b.hadamard(p.model.rhoPrime(free.s().at(2)), eps2));
    return b.solve(b.matMinus(b.identity(b.rows(m1)), m1), rhs);
  }

  /** ||A||_inf = max_i sum_j |a_ij|: the matrix norm subordinate to the max-norm of vectors. */
  public static <S, V, M> S normInf(Backend<S, V, M> b, M a) {
    ScalarField<S> f = b.scalars();
    S best = f.zero();
    for (int i = 0; i < b.rows(a); i++) {
      S row = f.zero();
      for (int j = 0; j < b.cols(a); j++) {
        row = f.add(row, f.abs(b.get(a, i, j)));
      }
      best = f.max(best, row);
    }
    return best;
  }

  /**
   * ||A||_2 (largest singular value) estimated by power iteration on A^T A from the all-ones
   * vector: a lower bound that converges to ||A||_2 (to about 1e-6 relative after a few hundred
   * iterations unless the two largest singular values nearly coincide). For reports, not checks.
   */
  public static <S, V, M> double normTwoEstimate(Backend<S, V, M> b, M a, int iterations) {
    ScalarField<S> f = b.scalars();
    V v = b.vector(b.cols(a), i -> f.one());
    double sigma = 0;
    for (int it = 0; it < iterations; it++) {
      S len = f.fromDouble(Math.sqrt(f.toDouble(b.dot(v, v))));
      if (f.compare(len, f.zero()) == 0) {
        return 0;
      }
      v = b.scale(f.divide(f.one(), len), v);
      V av = b.times(a, v);
      sigma = Math.sqrt(f.toDouble(b.dot(av, av)));
      v = b.transposeTimes(a, av);
    }
    return sigma;
  }

  private static <S, V, M> V column(Backend<S, V, M> b, M a, int j) {
    return b.vector(b.rows(a), i -> b.get(a, i, j));
  }
}
