package ghostunits.dynamics;

import ghostunits.model.Layers;
import ghostunits.numeric.Backend;
import ghostunits.numeric.DoubleBackend;
import ghostunits.numeric.NonFiniteValueException;
import ghostunits.numeric.ScalarField;
import ghostunits.numeric.SingularMatrixException;
import java.util.function.UnaryOperator;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
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


  private RefinedNewtonSolver() {}

  /**
   * The equilibrium and the solver's own error estimate: {@code correction}, the max-norm of the
   * refinement step at the returned state (not applied), and {@code contraction}, the largest
   * ratio of consecutive step sizes seen once the steps fell below double accuracy (0 if none);
   * {@code fromDoubleSolve} whether the iteration started from a double-precision solve.
   */
  public record Refined<S, V>(Equilibrium<S, V> equilibrium, S correction, S contraction, boolean fromDoubleSolve) {}

  /**
   * Solves from {@code start}. A start whose field is exactly zero at the working precision is
   * already the equilibrium: it is returned as it is (the same {@code State} object), with 0
   * iterations; otherwise {@code iterations} counts the refinement steps taken.
   *
   * @param approx the same network in double (weights rounded to double), for the Jacobian
   * @param inputDrive W^1 x at the working precision ({@link GhostNetwork#inputDrive})
   */
  public static <S, V, M> Refined<S, V> solve(GhostNetwork<S, V, M> net,
      GhostNetwork<Double, double[], DMatrixRMaj> approx, Stimulus<S, V> stim, V inputDrive, State<V> start) {
    return solve(net, approx, stim, inputDrive, start, true);
  }

  /**
   * With {@code presolve}, a start whose residual is above double accuracy is first carried to the
   * equilibrium in double (the same iteration, all in double: the quadratic phase costs no
   * working-precision field evaluations), and the refinement starts from there if that lowered
   * the residual; if the double solve fails, from {@code start} itself.
   */
  private static <S, V, M> Refined<S, V> solve(GhostNetwork<S, V, M> net,
      GhostNetwork<Double, double[], DMatrixRMaj> approx, Stimulus<S, V> stim, V inputDrive, State<V> start,
      boolean presolve) {
    Backend<S, V, M> b = net.model().backend();
    ScalarField<S> f = b.scalars();
    S tol = f.multiply(f.epsilon(), f.fromDouble(1000));
    Stimulus<Double, double[]> approxStim = toDouble(b, stim);
    State<V> state = start;
    V z = net.flatten(state);
    V field = net.flatten(net.field(state, stim, inputDrive));
    S residual = b.normMax(field);
    boolean fromDouble = false;
    if (presolve && f.toDouble(residual) > 1e-12 * (1 + f.toDouble(b.normMax(z)))) {
      try {
        Refined<Double, double[]> pre = solve(approx, approx, approxStim, approx.inputDrive(approxStim.x()),
            toStateDouble(b, state), false);
        State<V> candidate = net.unflatten(fromDouble(b, approx.flatten(pre.equilibrium().state())));
        V candidateField = net.flatten(net.field(candidate, stim, inputDrive));
        S candidateResidual = b.normMax(candidateField);
        if (f.compare(candidateResidual, residual) < 0) {
          state = candidate;
          z = net.flatten(state);
          field = candidateField;
          residual = candidateResidual;
          fromDouble = true;
        }
      } catch (NoConvergenceException | SingularMatrixException | NonFiniteValueException e) {
        // The double solve did not get there (e.g. overflow): refine from the start itself.
      }
    }
    S lastStep = f.zero();
    S contraction = f.zero();
    S previousStep = f.zero();
    @Nullable Factored factored = null;
    double[] factoredAt = new double[0];
    for (int it = 0; it <= MAX_ITERATIONS; it++) {
      if (f.compare(residual, f.zero()) == 0) {
        Equilibrium<S, V> eq = new Equilibrium<>(state, net.errors(state, stim), it, lastStep, residual);
        return new Refined<>(eq, f.zero(), contraction, fromDouble);
      }
      if (it == MAX_ITERATIONS) {
        break;
      }
      double[] zd = toDouble(b, z);
      if (factored == null || movedInDouble(factoredAt, zd)) {
        factored = factor(approx.jacobianBlocks(toStateDouble(b, state), approxStim));
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
        return new Refined<>(eq, b.normMax(next), contraction, fromDouble);
      }
      Backtracking.Accepted<S, V> next = Backtracking.alongOrFail(b, z, step, residual,
          trial -> net.flatten(net.field(net.unflatten(trial), stim, inputDrive)),
          "refined Newton", "refinement direction", it, stepNorm, f.multiply(tol, scale));
      z = next.z();
      state = net.unflatten(z);
      field = next.field();
      residual = next.residual();
      lastStep = f.multiply(next.t(), stepNorm);
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
    Factored factored = factor(approx.jacobianBlocks(toStateDouble(b, state), toDouble(b, stim)));
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

  /** A factorization of the double Jacobian, reused across right-hand sides. */
  interface Factored {
    double[] solve(double[] rhs);
  }

  /**
   * Factors the double Jacobian. The blocks whose diagonal is -I (hidden somata, ghosts) and that
   * are not coupled to each other are eliminated first (a Schur complement): for 784-500-10 that
   * leaves a 20 x 20 system instead of a 520 x 520 one. Which blocks: greedily, the largest
   * first. If none can be eliminated this is a plain dense LU.
   */
  static Factored factor(BlockJacobian<Double, double[], DMatrixRMaj> jac) {
    int blocks = jac.blockCount();
    Integer[] order = new Integer[blocks];
    for (int i = 0; i < blocks; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (a, c) -> Integer.compare(jac.blockSize(c), jac.blockSize(a)));
    boolean[] eliminated = new boolean[blocks];
    for (int i : order) {
      if (!jac.isMinusIdentity(i)) {
        continue;
      }
      boolean free = true;
      for (int e = 0; e < blocks; e++) {
        if (eliminated[e] && (jac.block(i, e) != null || jac.block(e, i) != null)) {
          free = false;
        }
      }
      eliminated[i] = free;
    }
    int[] keptOffset = new int[blocks];
    int kept = 0;
    for (int i = 0; i < blocks; i++) {
      keptOffset[i] = kept;
      if (!eliminated[i]) {
        kept += jac.blockSize(i);
      }
    }
    // S = J_KK + sum_e J_Ke J_eK (J_ee = -I, so -J_ee^{-1} = I).
    DMatrixRMaj schur = new DMatrixRMaj(kept, kept);
    for (int a = 0; a < blocks; a++) {
      if (eliminated[a]) {
        continue;
      }
      if (jac.isMinusIdentity(a)) {
        for (int i = 0; i < jac.blockSize(a); i++) {
          schur.add(keptOffset[a] + i, keptOffset[a] + i, -1);
        }
      }
      for (int c = 0; c < blocks; c++) {
        if (eliminated[c]) {
          continue;
        }
        DMatrixRMaj direct = jac.block(a, c);
        if (direct != null) {
          addBlock(schur, keptOffset[a], keptOffset[c], direct);
        }
        for (int e = 0; e < blocks; e++) {
          DMatrixRMaj ae = eliminated[e] ? jac.block(a, e) : null;
          DMatrixRMaj ec = eliminated[e] ? jac.block(e, c) : null;
          if (ae != null && ec != null) {
            DMatrixRMaj product = new DMatrixRMaj(ae.numRows, ec.numCols);
            CommonOps_DDRM.mult(ae, ec, product);
            addBlock(schur, keptOffset[a], keptOffset[c], product);
          }
        }
      }
    }
    Factored reduced = denseLu(schur);
    int n = jac.size();
    int keptSize = kept;
    return rhs -> {
      // S z_K = r_K + sum_e J_Ke r_e, then z_e = J_eK z_K - r_e.
      double[] rk = new double[keptSize];
      for (int a = 0; a < blocks; a++) {
        if (eliminated[a]) {
          continue;
        }
        System.arraycopy(rhs, jac.blockOffset(a), rk, keptOffset[a], jac.blockSize(a));
        for (int e = 0; e < blocks; e++) {
          DMatrixRMaj ae = eliminated[e] ? jac.block(a, e) : null;
          if (ae != null) {
            addProduct(ae, rhs, jac.blockOffset(e), rk, keptOffset[a], 1);
          }
        }
      }
      double[] zk = reduced.solve(rk);
      double[] z = new double[n];
      for (int a = 0; a < blocks; a++) {
        if (!eliminated[a]) {
          System.arraycopy(zk, keptOffset[a], z, jac.blockOffset(a), jac.blockSize(a));
        }
      }
      for (int e = 0; e < blocks; e++) {
        if (!eliminated[e]) {
          continue;
        }
        int off = jac.blockOffset(e);
        for (int i = 0; i < jac.blockSize(e); i++) {
          z[off + i] = -rhs[off + i];
        }
        for (int c = 0; c < blocks; c++) {
          DMatrixRMaj ec = eliminated[c] ? null : jac.block(e, c);
          if (ec != null) {
            addProduct(ec, zk, keptOffset[c], z, off, 1);
          }
        }
      }
      for (double v : z) {
        if (!Double.isFinite(v)) {
          throw new NoConvergenceException("double-precision Jacobian solve gave a non-finite step");
        }
      }
      return z;
    };
  }

  /** out[outAt..] += sign m x[xAt..]. */
  private static void addProduct(DMatrixRMaj m, double[] x, int xAt, double[] out, int outAt, double sign) {
    for (int i = 0; i < m.numRows; i++) {
      double s = 0;
      for (int j = 0; j < m.numCols; j++) {
        s += m.unsafe_get(i, j) * x[xAt + j];
      }
      out[outAt + i] += sign * s;
    }
  }

  /** target[row.., col..] += m. */
  private static void addBlock(DMatrixRMaj target, int row, int col, DMatrixRMaj m) {
    for (int i = 0; i < m.numRows; i++) {
      for (int j = 0; j < m.numCols; j++) {
        target.unsafe_set(row + i, col + j, target.unsafe_get(row + i, col + j) + m.unsafe_get(i, j));
      }
    }
  }

  private static Factored denseLu(DMatrixRMaj a) {
    LinearSolverLu_DDRM lu = DoubleBackend.factorLu(a, "the " + a.numRows + "x" + a.numCols + " (reduced) Jacobian");
    int n = a.numRows;
    return rhs -> {
      double[] x = new double[n];
      lu.solve(DMatrixRMaj.wrap(n, 1, rhs.clone()), DMatrixRMaj.wrap(n, 1, x));
      return x;
    };
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
