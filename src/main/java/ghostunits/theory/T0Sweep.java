package ghostunits.theory;

import ghostunits.dynamics.Equilibrium;
import ghostunits.dynamics.EquilibriumSolver;
import ghostunits.dynamics.EulerIntegrator;
import ghostunits.dynamics.GhostNetwork;
import ghostunits.dynamics.State;
import ghostunits.dynamics.Stimulus;
import ghostunits.dynamics.TimeStep;
import ghostunits.model.Layers;
import ghostunits.model.NetworkSpec;
import ghostunits.numeric.Backend;
import ghostunits.numeric.DoubleBackend;
import ghostunits.numeric.ScalarField;
import ghostunits.numeric.ShapeMismatchException;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;

/**
 * T0 (Model A, free phase): from any start the network relaxes to the MLP state z_hat
 * (s^k = s_hat^k, g^k = s_hat^{k+1}). Starts are given as doubles in the flat layout of
 * {@link GhostNetwork#flatten} (s^1..s^N, g^1..g^{N-1}), so the double and the apfloat run start
 * from the very same state. Deviations are max-norms over every s^k and g^k.
 */
public final class T0Sweep {
  private T0Sweep() {}

  /** Where a relaxation from a start ended: |z_0 - z_hat|, |z_end - z_hat|, max_k |e^k| at the end. */
  public record Relaxation(double startDistance, double deviation, double maxError) {}

  /** Number of entries of the flat state: n_1 + .. + n_N somata and n_2 + .. + n_N ghosts (MA). */
  public static int stateSize(NetworkSpec spec) {
    int[] n = spec.widths();
    int size = 0;
    for (int k = 1; k < n.length; k++) {
      size += n[k];
    }
    for (int k = 2; k < n.length; k++) {
      size += n[k];
    }
    return size;
  }

  /**
   * A start at least {@code minOffset} away from z_hat in every entry: z_hat_i + sign * U(minOffset,
   * maxOffset), each sign drawn at random. Every unit is displaced, so every layer has to move.
   */
  public static double[] displacedStart(NetworkSpec spec, Random rng, double minOffset, double maxOffset) {
    if (!(minOffset >= 0 && maxOffset >= minOffset)) {
      throw new IllegalArgumentException("offsets must satisfy 0 <= min <= max, got min " + minOffset
          + ", max " + maxOffset);
    }
    double[] hat = mlpState(spec);
    double[] z = new double[hat.length];
    for (int i = 0; i < z.length; i++) {
      double offset = minOffset + (maxOffset - minOffset) * rng.nextDouble();
      z[i] = hat[i] + (rng.nextBoolean() ? offset : -offset);
    }
    return z;
  }

  /** z_hat in double, flat layout. */
  public static double[] mlpState(NetworkSpec spec) {
    Probe<Double, double[], DMatrixRMaj> p = new Probe<>(DoubleBackend.INSTANCE, spec);
    return p.net.flatten(p.net.forwardState(p.x));
  }

  /** Newton at beta = 0 started from {@code start} (not from the MLP state). */
  public static <S, V, M> Relaxation newton(Backend<S, V, M> be, NetworkSpec spec, double[] start) {
    Probe<S, V, M> p = new Probe<>(be, spec);
    State<V> z0 = state(p, spec, start);
    Equilibrium<S, V> eq = EquilibriumSolver.solve(p.net, p.stimulus(0.0), z0);
    V hat = p.net.flatten(p.net.forwardState(p.x));
    return new Relaxation(distance(p, z0, hat), distance(p, eq.state(), hat), maxNorm(p, eq.errors()));
  }

  /** |z_t - z_hat| after t = 0, 1, .., steps Euler steps of size h at beta = 0 (entry t). */
  public static <S, V, M> double[] deviations(
      Backend<S, V, M> be, NetworkSpec spec, double[] start, TimeStep h, int steps) {
    Probe<S, V, M> p = new Probe<>(be, spec);
    Stimulus<S, V> stim = p.stimulus(0.0);
    S hs = p.model.scalar(h.h());
    V hat = p.net.flatten(p.net.forwardState(p.x));
    double[] dev = new double[steps + 1];
    State<V> z = state(p, spec, start);
    for (int t = 0; t <= steps; t++) {
      dev[t] = distance(p, z, hat);
      if (t < steps) {
        z = p.net.eulerStep(z, stim, hs);
      }
    }
    return dev;
  }

  /**
   * Euler steps of size h at beta = 0 until the field's max-norm is at most {@code fieldTolerance}
   * ({@link EulerIntegrator#runToRest}, which throws NoConvergence beyond maxSteps).
   */
  public static <S, V, M> Relaxation eulerToRest(
      Backend<S, V, M> be, NetworkSpec spec, double[] start, TimeStep h, double fieldTolerance, int maxSteps) {
    Probe<S, V, M> p = new Probe<>(be, spec);
    Stimulus<S, V> stim = p.stimulus(0.0);
    State<V> z0 = state(p, spec, start);
    State<V> z = EulerIntegrator.runToRest(p.net, stim, z0, h, p.scalars().fromDouble(fieldTolerance), maxSteps);
    V hat = p.net.flatten(p.net.forwardState(p.x));
    return new Relaxation(distance(p, z0, hat), distance(p, z, hat), maxNorm(p, p.net.errors(z, stim)));
  }

  /**
   * The ghost mismatch d^k = s^{k+1} - g^k over one Euler step of size h from {@code start}:
   * entry k - 1 is max_i |d'_i - ((1 - h) d_i + h e^{k+1}_i)| / m_i, the defect of the linear
   * decay law relative to the magnitudes the step combines, m_i = |s^{k+1}_i| + |g^k_i| +
   * |(W^{k+1} r^k)_i| + |e^{k+1}_i| (all at the old state). In exact arithmetic it is 0.
   */
  public static <S, V, M> double[] mismatchDefects(
      Backend<S, V, M> be, NetworkSpec spec, double[] start, TimeStep h, double beta) {
    Probe<S, V, M> p = new Probe<>(be, spec);
    ScalarField<S> f = p.scalars();
    Stimulus<S, V> stim = p.stimulus(beta);
    State<V> z = state(p, spec, start);
    S hs = p.model.scalar(h.h());
    State<V> next = p.net.eulerStep(z, stim, hs);
    Layers<V> e = p.net.errors(z, stim);
    Layers<V> r = p.net.rates(z, p.x);
    int n = p.net.depth();
    double[] defects = new double[n - 1];
    for (int k = 1; k < n; k++) {
      V s = z.s().at(k + 1);
      V g = z.g().at(k);
      V d = be.minus(s, g);
      V dNext = be.minus(next.s().at(k + 1), next.g().at(k));
      V law = be.plus(be.scale(f.subtract(f.one(), hs), d), be.scale(hs, e.at(k + 1)));
      V drive = be.times(p.net.weights().w().at(k + 1), r.at(k));
      V magnitude = be.plus(be.plus(abs(p, s), abs(p, g)), be.plus(abs(p, drive), abs(p, e.at(k + 1))));
      defects[k - 1] = maxRatio(p, be.minus(dNext, law), magnitude);
    }
    return defects;
  }

  /**
   * The error as a function of the mismatch, at any state: entry k - 1 is
   * max_i |e^k_i - (B^k (rho(s^{k+1}) - rho(s^{k+1} - d^k)))_i| / m_i with
   * m_i = sum_j |B^k_ij| (1 + |s^{k+1}_j| + |g^k_j|) + |e^k_i|. In exact arithmetic it is 0.
   */
  public static <S, V, M> double[] errorOfMismatchDefects(
      Backend<S, V, M> be, NetworkSpec spec, double[] start, double beta) {
    Probe<S, V, M> p = new Probe<>(be, spec);
    ScalarField<S> f = p.scalars();
    Stimulus<S, V> stim = p.stimulus(beta);
    State<V> z = state(p, spec, start);
    Layers<V> e = p.net.errors(z, stim);
    int n = p.net.depth();
    double[] defects = new double[n - 1];
    for (int k = 1; k < n; k++) {
      M b = p.net.weights().b().at(k);
      V s = z.s().at(k + 1);
      V g = z.g().at(k);
      V d = be.minus(s, g);
      V predicted = be.times(b, be.minus(p.model.rho(s), p.model.rho(be.minus(s, d))));
      M absB = be.matrix(be.rows(b), be.cols(b), (i, j) -> f.abs(be.get(b, i, j)));
      V ones = be.vector(be.size(s), i -> f.one());
      V magnitude = be.plus(be.times(absB, be.plus(ones, be.plus(abs(p, s), abs(p, g)))), abs(p, e.at(k)));
      defects[k - 1] = maxRatio(p, be.minus(e.at(k), predicted), magnitude);
    }
    return defects;
  }

  private static <S, V, M> State<V> state(Probe<S, V, M> p, NetworkSpec spec, double[] flat) {
    if (flat.length != stateSize(spec)) {
      throw new ShapeMismatchException("start state has " + flat.length + " entries, the network's state "
          + stateSize(spec));
    }
    return p.net.unflatten(NetworkSpec.vector(p.backend, flat));
  }

  private static <S, V, M> double distance(Probe<S, V, M> p, State<V> z, V hat) {
    return p.norm(p.backend.minus(p.net.flatten(z), hat));
  }

  /** max over the layers of max_i |v_i| (package-private: T0SweepTest checks it sees every layer). */
  static <S, V, M> double maxNorm(Probe<S, V, M> p, Layers<V> layers) {
    double m = 0;
    for (V v : layers) {
      m = Math.max(m, p.norm(v));
    }
    return m;
  }

  private static <S, V, M> V abs(Probe<S, V, M> p, V v) {
    ScalarField<S> f = p.scalars();
    return p.backend.map(v, f::abs);
  }

  /**
   * max_i |a_i| / m_i (entries with m_i = 0 must have a_i = 0: they count as 0, else infinity).
   * Package-private: the defect properties assert it small, so T0SweepTest checks it is not blind.
   */
  static <S, V, M> double maxRatio(Probe<S, V, M> p, V a, V m) {
    ScalarField<S> f = p.scalars();
    Backend<S, V, M> be = p.backend;
    double worst = 0;
    for (int i = 0; i < be.size(a); i++) {
      S num = f.abs(be.get(a, i));
      S den = be.get(m, i);
      if (f.compare(den, f.zero()) == 0) {
        worst = f.compare(num, f.zero()) == 0 ? worst : Double.POSITIVE_INFINITY;
      } else {
        worst = Math.max(worst, f.toDouble(f.divide(num, den)));
      }
    }
    return worst;
  }
}
