package ghostunits.dynamics;

import ghostunits.model.Layers;
import ghostunits.numeric.Backend;
import ghostunits.numeric.ScalarField;
import ghostunits.numeric.SingularMatrixException;
import java.util.function.UnaryOperator;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.decomposition.lu.LUDecompositionAlt_DDRM;
import org.ejml.dense.row.linsol.lu.LinearSolverLu_DDRM;

/**
 * Newton's method for the equilibrium with the linear algebra in double and the field at the
 * working precision: mixed-precision iterative refinement. The same iteration as
 * {@link EquilibriumSolver} (start, backtracking, stopping rule), but the step solves
 * J_d dz = -F(z) with J_d the Jacobian evaluated and LU-factored in double, while F is evaluated
 * at the working precision with W^1 x computed once.
 *
 * <p>Why: at 50 digits an apfloat LU of the 520 x 520 Jacobian of a 784-500-10 network takes
 * minutes; in double it takes milliseconds. Convergence: while the iterate is far from the
 * equilibrium the step is a Newton step to double accuracy (quadratic); below that, each step
 * multiplies the error by about q = |I - J_d^{-1} J| ~ 1e-16 cond(J), so 50 digits need about
 * three more steps. The factorization is refreshed only while the state still moves in double.
 * The returned {@link Refined#correction()} is the size of the step the solver would take next,
 * an estimate of the remaining error (a contraction with factor q < 1 leaves at most
 * q / (1 - q) times its last step).
 */
public final class RefinedNewtonSolver {
  /** Iterations allowed before giving up. */
  public static final int MAX_ITERATIONS = 100;

  private static final int MAX_HALVINGS = 40;

  private RefinedNewtonSolver() {}

  /**
   * The equilibrium and the solver's own error estimate: {@code correction}, the max-norm of the
   * refinement step at the returned state (not applied), and {@code contraction}, the largest
   * ratio of consecutive step sizes seen once the steps fell below double accuracy (0 if none).
   */
  public record Refined<S, V>(Equilibrium<S, V> equilibrium, S correction, S contraction) {}

  /**
   * Solves from {@code start}.
   *
   * @param approx the same network in double (weights rounded to double), for the Jacobian
   * @param inputDrive W^1 x at the working precision ({@link GhostNetwork#inputDrive})
   */
  public static <S, V, M> Refined<S, V> solve(GhostNetwork<S, V, M> net,
      GhostNetwork<Double, double[], DMatrixRMaj> approx, Stimulus<S, V> stim, V inputDrive, State<V> start) {
    Backend<S, V, M> b = net.model().backend();
    ScalarField<S> f = b.scalars();
    S tol = f.multiply(f.epsilon(), f.fromDouble(1000));
    Stimulus<Double, double[]> approxStim = toDouble(b, stim);
    State<V> state = start;
    V z = net.flatten(state);
    V field = net.flatten(net.field(state, stim, inputDrive));
    S residual = b.normMax(field);
    S lastStep = f.zero();
    S contraction = f.zero();
    S previousStep = f.zero();
    @Nullable Factored factored = null;
    double[] factoredAt = new double[0];
    for (int it = 0; it <= MAX_ITERATIONS; it++) {
      if (f.compare(residual, f.zero()) == 0) {
        Equilibrium<S, V> eq = new Equilibrium<>(state, net.errors(state, stim), it, lastStep, residual);
        return new Refined<>(eq, f.zero(), contraction);
      }
      if (it == MAX_ITERATIONS) {
        break;
      }
      double[] zd = toDouble(b, z);
      if (factored == null || movedInDouble(factoredAt, zd)) {
        factored = factor(approx.jacobian(toStateDouble(b, state), approxStim));
        factoredAt = zd;
      }
      V step = fromDouble(b, factored.solve(toDouble(b, b.scale(f.negate(f.one()), field))));
      S stepNorm = b.normMax(step);
      S scale = f.add(f.one(), b.normMax(z));
      if (f.compare(previousStep, f.zero()) > 0 && !movedInDouble(zd, toDouble(b, b.plus(z, step)))) {
        contraction = f.max(contraction, f.divide(stepNorm, previousStep));
      }
      previousStep = stepNorm;
      if (f.compare(stepNorm, f.multiply(tol, scale)) <= 0) {
        z = b.plus(z, step);
        state = net.unflatten(z);
        field = net.flatten(net.field(state, stim, inputDrive));
        V next = fromDouble(b, factored.solve(toDouble(b, b.scale(f.negate(f.one()), field))));
        Equilibrium<S, V> eq = new Equilibrium<>(state, net.errors(state, stim), it + 1, stepNorm, b.normMax(field));
        return new Refined<>(eq, b.normMax(next), contraction);
      }
      S t = f.one();
      boolean accepted = false;
      for (int halving = 0; halving <= MAX_HALVINGS; halving++) {
        V trial = b.plus(z, b.scale(t, step));
        State<V> trialState = net.unflatten(trial);
        V trialField = net.flatten(net.field(trialState, stim, inputDrive));
        S trialResidual = b.normMax(trialField);
        if (f.compare(trialResidual, residual) < 0) {
          z = trial;
          state = trialState;
          field = trialField;
          residual = trialResidual;
          lastStep = f.multiply(t, stepNorm);
          accepted = true;
          break;
        }
        t = f.divide(t, f.fromDouble(2));
      }
      if (!accepted) {
        throw new NoConvergenceException("refined Newton at " + f.name() + ": no step along the refinement direction"
            + " lowers the residual " + f.toDouble(residual) + " (iteration " + it + ", step "
            + f.toDouble(stepNorm) + ", stopping threshold " + f.toDouble(f.multiply(tol, scale)) + ")");
      }
    }
    throw new NoConvergenceException("refined Newton at " + f.name() + " did not converge in " + MAX_ITERATIONS
        + " iterations (residual " + f.toDouble(residual) + ", last step " + f.toDouble(lastStep) + ")");
  }

  /**
   * Solves J dz = rhs at the working precision for the Jacobian J at {@code state}, by iterative
   * refinement: dz += J_d^{-1} (rhs - J dz) with J_d factored once in double and J dz formed at
   * the working precision block by block. Stops when a correction is below 10 eps (1 + |dz|).
   *
   * @throws NoConvergenceException if the corrections stop shrinking (J_d too far from J, i.e.
   *     J ill-conditioned at double precision)
   */
  public static <S, V, M> UnaryOperator<V> linearSolver(GhostNetwork<S, V, M> net,
      GhostNetwork<Double, double[], DMatrixRMaj> approx, Stimulus<S, V> stim, State<V> state) {
    Backend<S, V, M> b = net.model().backend();
    ScalarField<S> f = b.scalars();
    BlockJacobian<S, V, M> jac = net.jacobianBlocks(state, stim);
    Factored factored = factor(approx.jacobian(toStateDouble(b, state), toDouble(b, stim)));
    S tol = f.multiply(f.epsilon(), f.fromDouble(10));
    return rhs -> {
      V x = b.zeros(b.size(rhs));
      V r = rhs;
      S previous = f.zero();
      for (int it = 0; it < MAX_ITERATIONS; it++) {
        V d = fromDouble(b, factored.solve(toDouble(b, r)));
        S size = b.normMax(d);
        x = b.plus(x, d);
        if (f.compare(size, f.multiply(tol, f.add(f.one(), b.normMax(x)))) <= 0) {
          return x;
        }
        if (it > 0 && f.compare(size, f.multiply(previous, f.fromDouble(0.5))) > 0) {
          throw new NoConvergenceException("iterative refinement at " + f.name() + ": corrections stopped shrinking ("
              + f.toDouble(previous) + " then " + f.toDouble(size) + "); the Jacobian is too ill-conditioned for a"
              + " double-precision factorization");
        }
        previous = size;
        r = b.minus(rhs, jac.times(x));
      }
      throw new NoConvergenceException("iterative refinement at " + f.name() + " did not converge in "
          + MAX_ITERATIONS + " steps");
    };
  }

  /** True when the two states differ in double (beyond 4 ulps of the larger entry). */
  private static boolean movedInDouble(double[] a, double[] c) {
    if (a.length != c.length) {
      return true;
    }
    double scale = 0;
    double diff = 0;
    for (int i = 0; i < a.length; i++) {
      scale = Math.max(scale, Math.abs(a[i]));
      diff = Math.max(diff, Math.abs(a[i] - c[i]));
    }
    return diff > 4 * Math.ulp(Math.max(scale, 1.0));
  }

  /** An LU factorization in double, reused across right-hand sides. */
  private static final class Factored {
    private final LinearSolverLu_DDRM lu;
    private final int n;

    Factored(LinearSolverLu_DDRM lu, int n) {
      this.lu = lu;
      this.n = n;
    }

    double[] solve(double[] rhs) {
      double[] x = new double[n];
      lu.solve(DMatrixRMaj.wrap(n, 1, rhs.clone()), DMatrixRMaj.wrap(n, 1, x));
      for (double v : x) {
        if (!Double.isFinite(v)) {
          throw new NoConvergenceException("double-precision Jacobian solve gave a non-finite step");
        }
      }
      return x;
    }
  }

  private static Factored factor(DMatrixRMaj a) {
    LUDecompositionAlt_DDRM decomposition = new LUDecompositionAlt_DDRM();
    LinearSolverLu_DDRM lu = new LinearSolverLu_DDRM(decomposition);
    // The singularity rule of DoubleBackend.solve: a pivot at or below n eps max|a| is zero.
    double tiny = a.numRows * Math.ulp(1.0) * CommonOps_DDRM.elementMaxAbs(a);
    boolean ok = lu.setA(a.copy());
    DMatrixRMaj factors = decomposition.getLU();
    for (int i = 0; ok && i < a.numRows; i++) {
      double pivot = factors.get(i, i);
      ok = Math.abs(pivot) > tiny && Double.isFinite(pivot);
    }
    if (!ok) {
      throw new SingularMatrixException("the " + a.numRows + "x" + a.numCols
          + " Jacobian is singular at double precision (or not finite)");
    }
    return new Factored(lu, a.numRows);
  }

  private static <S, V, M> double[] toDouble(Backend<S, V, M> b, V v) {
    ScalarField<S> f = b.scalars();
    double[] d = new double[b.size(v)];
    for (int i = 0; i < d.length; i++) {
      d[i] = f.toDouble(b.get(v, i));
    }
    return d;
  }

  private static <S, V, M> V fromDouble(Backend<S, V, M> b, double[] d) {
    ScalarField<S> f = b.scalars();
    return b.vector(d.length, i -> f.fromDouble(d[i]));
  }

  private static <S, V, M> State<double[]> toStateDouble(Backend<S, V, M> b, State<V> state) {
    Layers<double[]> s = state.s().map(v -> toDouble(b, v));
    Layers<double[]> g = state.g().map(v -> toDouble(b, v));
    return new State<>(s, g);
  }

  private static <S, V, M> Stimulus<Double, double[]> toDouble(Backend<S, V, M> b, Stimulus<S, V> stim) {
    return new Stimulus<>(toDouble(b, stim.x()), toDouble(b, stim.y()), b.scalars().toDouble(stim.beta()));
  }
}
