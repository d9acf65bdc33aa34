package ghostunits.plasticity;

import ghostunits.dynamics.NoConvergenceException;
import ghostunits.numeric.NonFiniteValueException;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The two phases of a mini-batch in double on EJML (columns are examples), reached two ways:
 *
 * <ul>
 *   <li>faithful: the Euler map of eq. 2-3 iterated for the paper's step counts ({@link #euler});
 *   <li>fast: the equilibrium itself. Free phase: the MLP forward pass, which is the free
 *       equilibrium when the ghosts cancel the feedback (T0 for converged MA ghosts, T2a for MB
 *       after the fast Omega fit). Weakly-clamped phase: a Newton solve reduced to the output
 *       layer (MA, {@link #nudgedModelA}) or to the output and ghost layer (MB, MA with learned ghosts,
 *       {@link #equilibriumOneHiddenLayer}), the hidden potentials being eliminated (their Jacobian block is
 *       -I, and W^1 x is computed once per phase).
 * </ul>
 *
 * The drive A = W^1 X is constant over both phases; it is computed once and passed in.
 * Both ways are checked against the generic reference (GhostNetwork, EulerIntegrator,
 * EquilibriumSolver, LocalRules) by the properties in src/test/.../plasticity.
 */
public final class BatchDynamics {
  /** Newton iterations allowed in the fast weakly-clamped solve. */
  public static final int MAX_NEWTON = 100;
  /** Stop when the residual max-norm is at most this times (1 + |state|): ~ 4500 ulps at 1. */
  public static final double TOLERANCE = 1e-12;

  private BatchDynamics() {}


  /** s^k and g^k of a batch: s[k-1] = S^k (n_k x batch), g[k-1] = G^k (m_k x batch). */
  public record BatchState(DMatrixRMaj[] s, DMatrixRMaj[] g) {
    public DMatrixRMaj s(int k) {
      return s[k - 1];
    }

    public DMatrixRMaj g(int k) {
      return g[k - 1];
    }

    public BatchState copy() {
      DMatrixRMaj[] sc = new DMatrixRMaj[s.length];
      for (int i = 0; i < s.length; i++) {
        sc[i] = s[i].copy();
      }
      DMatrixRMaj[] gc = new DMatrixRMaj[g.length];
      for (int i = 0; i < g.length; i++) {
        gc[i] = g[i].copy();
      }
      return new BatchState(sc, gc);
    }
  }

  /** A = W^1 X, the bottom-up drive of layer 1, constant over a phase. */
  public static DMatrixRMaj drive(DenseNetwork net, DMatrixRMaj x) {
    DMatrixRMaj a = new DMatrixRMaj(net.width(1), x.numCols);
    CommonOps_DDRM.mult(net.w(1), x, a);
    return a;
  }

  /** Everything at rest at 0 (the faithful free phase starts here). */
  public static BatchState zero(DenseNetwork net, int batch) {
    int n = net.depth();
    DMatrixRMaj[] s = new DMatrixRMaj[n];
    for (int k = 1; k <= n; k++) {
      s[k - 1] = new DMatrixRMaj(net.width(k), batch);
    }
    DMatrixRMaj[] g = new DMatrixRMaj[n - 1];
    for (int k = 1; k < n; k++) {
      g[k - 1] = new DMatrixRMaj(net.gamma(k).numRows, batch);
    }
    return new BatchState(s, g);
  }

  /** The MLP state: S^1 = A, S^k = W^k rho(S^{k-1}), G^k = Gamma^k rho(S^k). */
  public static BatchState forward(DenseNetwork net, DMatrixRMaj a) {
    int n = net.depth();
    DMatrixRMaj[] s = new DMatrixRMaj[n];
    DMatrixRMaj[] g = new DMatrixRMaj[n - 1];
    s[0] = a.copy();
    for (int k = 2; k <= n; k++) {
      s[k - 1] = times(net.w(k), Dense.rho(s[k - 2]));
    }
    for (int k = 1; k < n; k++) {
      g[k - 1] = times(net.gamma(k), Dense.rho(s[k - 1]));
    }
    return new BatchState(s, g);
  }

  static DMatrixRMaj times(DMatrixRMaj m, DMatrixRMaj x) {
    DMatrixRMaj out = new DMatrixRMaj(m.numRows, x.numCols);
    CommonOps_DDRM.mult(m, x, out);
    return out;
  }

  /**
   * The faithful dynamics: {@code steps} synchronous Euler steps of size h from {@code start}
   * (not changed), with nudging beta (0: free phase). Every right-hand side is taken from the state
   * before the step, as in GhostNetwork.eulerStep.
   */
  public static BatchState euler(DenseNetwork net, DMatrixRMaj a, DMatrixRMaj y, double beta, BatchState start,
      double h, int steps) {
    BatchState z = start.copy();
    int n = net.depth();
    int batch = a.numCols;
    // Work buffers, reused by every step (the dynamics allocate nothing per step).
    DMatrixRMaj[] r = new DMatrixRMaj[n];
    DMatrixRMaj[] up = new DMatrixRMaj[n];
    DMatrixRMaj[] e = new DMatrixRMaj[n];
    DMatrixRMaj[] rg = new DMatrixRMaj[n - 1];
    DMatrixRMaj[] ghostDrive = new DMatrixRMaj[n - 1];
    DMatrixRMaj[] tmp = new DMatrixRMaj[n - 1];
    for (int k = 1; k <= n; k++) {
      r[k - 1] = new DMatrixRMaj(net.width(k), batch);
      up[k - 1] = k == 1 ? a : new DMatrixRMaj(net.width(k), batch);
      e[k - 1] = new DMatrixRMaj(net.width(k), batch);
    }
    for (int k = 1; k < n; k++) {
      int m = net.gamma(k).numRows;
      rg[k - 1] = new DMatrixRMaj(m, batch);
      ghostDrive[k - 1] = net.gamma(k) == net.w(k + 1) ? up[k] : new DMatrixRMaj(m, batch);
      tmp[k - 1] = new DMatrixRMaj(net.omega(k) == net.b(k) ? net.width(k + 1) : net.width(k), batch);
    }
    for (int step = 0; step < steps; step++) {
      // Every right-hand side from the state before the step (synchronous, as GhostNetwork.eulerStep).
      for (int k = 1; k <= n; k++) {
        rhoInto(z.s(k), r[k - 1]);
      }
      for (int k = 1; k < n; k++) {
        rhoInto(z.g(k), rg[k - 1]);
      }
      for (int k = 2; k <= n; k++) {
        CommonOps_DDRM.mult(net.w(k), r[k - 2], up[k - 1]);
      }
      for (int k = 1; k < n; k++) {
        if (ghostDrive[k - 1] != up[k]) {
          CommonOps_DDRM.mult(net.gamma(k), r[k - 1], ghostDrive[k - 1]);
        }
        if (net.omega(k) == net.b(k)) {
          // Model A, converged ghosts: B r - Omega rho(g) = B (r - rho(g)), one product instead of two.
          minusInto(r[k], rg[k - 1], tmp[k - 1]);
          CommonOps_DDRM.mult(net.b(k), tmp[k - 1], e[k - 1]);
        } else {
          CommonOps_DDRM.mult(net.b(k), r[k], e[k - 1]);
          CommonOps_DDRM.mult(net.omega(k), rg[k - 1], tmp[k - 1]);
          minusInto(e[k - 1], tmp[k - 1], e[k - 1]);
        }
      }
      // e^N = -beta (r^N - y), written as GhostNetwork does (the same bits).
      double[] rn = r[n - 1].data;
      double[] en = e[n - 1].data;
      double[] yd = y.data;
      double mb = -beta;
      for (int i = 0; i < en.length; i++) {
        en[i] = mb * (rn[i] - yd[i]);
      }
      // Ghosts first: their field uses g and the drive only, both computed above from the old state.
      for (int k = 1; k < n; k++) {
        double[] g = z.g(k).data;
        double[] d = ghostDrive[k - 1].data;
        for (int i = 0; i < g.length; i++) {
          g[i] = g[i] + h * (d[i] - g[i]);
        }
      }
      for (int k = 1; k <= n; k++) {
        double[] s = z.s(k).data;
        double[] u = up[k - 1].data;
        double[] ek = e[k - 1].data;
        for (int i = 0; i < s.length; i++) {
          s[i] = s[i] + h * ((u[i] - s[i]) + ek[i]);
        }
      }
    }
    return z;
  }

  private static void rhoInto(DMatrixRMaj s, DMatrixRMaj out) {
    double[] a = s.data;
    double[] o = out.data;
    int n = s.getNumElements();
    for (int i = 0; i < n; i++) {
      o[i] = Dense.rho(a[i]);
    }
  }

  private static void minusInto(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj out) {
    int n = a.getNumElements();
    for (int i = 0; i < n; i++) {
      out.data[i] = a.data[i] - b.data[i];
    }
  }

  /** The right-hand side of eq. 2-3 (in units of 1/tau); zero exactly at an equilibrium. */
  public static BatchState field(DenseNetwork net, DMatrixRMaj a, DMatrixRMaj y, double beta, BatchState z) {
    int n = net.depth();
    DMatrixRMaj[] r = new DMatrixRMaj[n];
    for (int k = 1; k <= n; k++) {
      r[k - 1] = Dense.rho(z.s(k));
    }
    // W^k r^{k-1} for k >= 2; Model A's ghost drive Gamma^{k-1} r^{k-1} is the same product (Gamma = W).
    DMatrixRMaj[] up = new DMatrixRMaj[n];
    up[0] = a;
    for (int k = 2; k <= n; k++) {
      up[k - 1] = times(net.w(k), r[k - 2]);
    }
    DMatrixRMaj[] fs = new DMatrixRMaj[n];
    DMatrixRMaj[] fg = new DMatrixRMaj[n - 1];
    for (int k = 1; k <= n; k++) {
      DMatrixRMaj e;
      if (k == n) {
        e = Dense.scale(beta, Dense.minus(y, r[n - 1]));
      } else {
        DMatrixRMaj rg = Dense.rho(z.g(k));
        if (net.omega(k) == net.b(k)) {
          // Model A, converged ghosts: B r - Omega rho(g) = B (r - rho(g)), one product instead of two.
          e = times(net.b(k), Dense.minus(r[k], rg));
        } else {
          e = Dense.minus(times(net.b(k), r[k]), times(net.omega(k), rg));
        }
      }
      DMatrixRMaj f = Dense.plus(Dense.minus(up[k - 1], z.s(k)), e);
      fs[k - 1] = f;
    }
    for (int k = 1; k < n; k++) {
      DMatrixRMaj drive = net.gamma(k) == net.w(k + 1) ? up[k] : times(net.gamma(k), r[k - 1]);
      fg[k - 1] = Dense.minus(drive, z.g(k));
    }
    return new BatchState(fs, fg);
  }

  /** Max-norm of a whole state. */
  public static double norm(BatchState z) {
    double m = 0;
    for (DMatrixRMaj s : z.s()) {
      m = Math.max(m, Dense.maxAbs(s));
    }
    for (DMatrixRMaj g : z.g()) {
      m = Math.max(m, Dense.maxAbs(g));
    }
    return m;
  }

  /**
   * Model A (converged ghosts: Gamma^k = W^{k+1}, Omega^k = B^k), weakly-clamped equilibrium.
   * At every equilibrium g^k = s^{k+1} - e^{k+1} (IDENT), so given the output potentials s^N every
   * error follows top-down, e^N = beta (y - rho(s^N)), e^k = B^k (rho(s^{k+1}) - rho(s^{k+1} - e^{k+1})),
   * and the potentials bottom-up, s^1 = A + e^1, s^k = W^k r^{k-1} + e^k (k < N). What is left is
   * n_N equations R(s^N) = -s^N + W^N r^{N-1} + e^N = 0, solved by (chord-)Newton from the free state.
   * With one hidden layer the reduction is exact and the Jacobian
   * dR/ds^N = -I - beta D^N + W^N D^{N-1} B^{N-1} diag(phi'), phi' = rho'(s^N) - rho'(g^{N-1})(1 + beta rho'(s^N)),
   * is exact. With more hidden layers each iteration also makes one sweep over the lower layers
   * (their coupling to each other is through rho(s) - rho(s - e), weak), the same matrix serving as
   * an approximate Jacobian (it omits that weak coupling); the solve stops when the residual and the
   * sweep's change are both below tolerance.
   *
   * @throws NoConvergenceException if the residual is not below {@link #TOLERANCE} in
   *     {@link #MAX_NEWTON} iterations
   */
  public static BatchState nudgedModelA(DenseNetwork net, DMatrixRMaj a, DMatrixRMaj y, double beta, BatchState free) {
    return nudgedModelA(net, a, y, beta, free, MAX_NEWTON);
  }

  /**
   * {@link #nudgedModelA}, and for the examples where its reduced chord-Newton fails, the faithful
   * dynamics instead: the Euler map with step h from the free state, run until the whole field is
   * below {@link #TOLERANCE} (1 + |z|). First seen in MA-TF-500's epoch 35 on MNIST (beta 10): the
   * reduced Newton diverged on one example, while 200 Euler steps brought the field to 6e-4 and 2,200
   * to 4e-15; MA-TF-100 needs it for 1-8 of 55,000 examples per epoch after its epoch 38. The
   * batch is first solved whole; only if that fails is it solved column by column.
   * Each example the dynamics settle is counted in {@code fallbacks} (changed).
   *
   * @throws NoConvergenceException if the Euler map too stays above tolerance for
   *     {@link #MAX_SETTLE_STEPS} steps
   * @throws NonFiniteValueException if the Euler map diverges (h too large for the dynamics)
   */
  public static BatchState nudgedModelASafe(DenseNetwork net, DMatrixRMaj a, DMatrixRMaj y, double beta,
      BatchState free, double h, EulerFallbacks fallbacks) {
    return nudgedModelASafe(net, a, y, beta, free, h, MAX_NEWTON, fallbacks);
  }

  /** Euler steps allowed to settle one example whose reduced Newton failed. */
  public static final int MAX_SETTLE_STEPS = 200_000;

  /** {@code maxNewton} below MAX_NEWTON forces the fallback (tests). */
  static BatchState nudgedModelASafe(DenseNetwork net, DMatrixRMaj a, DMatrixRMaj y, double beta, BatchState free,
      double h, int maxNewton, EulerFallbacks fallbacks) {
    try {
      return nudgedModelA(net, a, y, beta, free, maxNewton);
    } catch (NoConvergenceException | NonFiniteValueException | ghostunits.numeric.SingularMatrixException whole) {
      BatchState out = free.copy();
      for (int j = 0; j < a.numCols; j++) {
        DMatrixRMaj aj = CommonOps_DDRM.extractColumn(a, j, null);
        DMatrixRMaj yj = CommonOps_DDRM.extractColumn(y, j, null);
        BatchState fj = column(free, j);
        BatchState zj;
        try {
          zj = nudgedModelA(net, aj, yj, beta, fj, maxNewton);
        } catch (NoConvergenceException | NonFiniteValueException | ghostunits.numeric.SingularMatrixException one) {
          zj = settleByEuler(net, aj, yj, beta, fj, h, "example " + j + " (the reduced Newton: " + one.getMessage()
              + ")", fallbacks);
        }
        setColumn(out, j, zj);
      }
      return out;
    }
  }

  /**
   * The Euler map from {@code start} until the field is below TOLERANCE (1 + |z|); counted in
   * {@code fallbacks} (changed) with {@code what} as the reason.
   */
  static BatchState settleByEuler(DenseNetwork net, DMatrixRMaj a, DMatrixRMaj y, double beta, BatchState start,
      double h, String what, EulerFallbacks fallbacks) {
    String map = "phase at beta " + beta + ", " + what + ": the Euler map with h = " + h;
    BatchState z = start;
    double field = Double.NaN;
    int done = 0;
    while (done < MAX_SETTLE_STEPS) {
      z = euler(net, a, y, beta, z, h, 100);
      done += 100;
      field = norm(field(net, a, y, beta, z));
      if (!Double.isFinite(field)) {
        throw new NonFiniteValueException(map + " diverged: its field is " + field + " after " + done + " steps");
      }
      if (field <= TOLERANCE * (1 + norm(z))) {
        fallbacks.record(what);
        return z;
      }
    }
    throw new NoConvergenceException(map + " still has a field of " + field + " after " + MAX_SETTLE_STEPS + " steps");
  }

  private static BatchState column(BatchState z, int j) {
    DMatrixRMaj[] s = new DMatrixRMaj[z.s().length];
    for (int k = 0; k < s.length; k++) {
      s[k] = CommonOps_DDRM.extractColumn(z.s()[k], j, null);
    }
    DMatrixRMaj[] g = new DMatrixRMaj[z.g().length];
    for (int k = 0; k < g.length; k++) {
      g[k] = CommonOps_DDRM.extractColumn(z.g()[k], j, null);
    }
    return new BatchState(s, g);
  }

  private static void setColumn(BatchState z, int j, BatchState col) {
    for (int k = 0; k < z.s().length; k++) {
      CommonOps_DDRM.insert(col.s()[k], z.s()[k], 0, j);
    }
    for (int k = 0; k < z.g().length; k++) {
      CommonOps_DDRM.insert(col.g()[k], z.g()[k], 0, j);
    }
  }

  static BatchState nudgedModelA(DenseNetwork net, DMatrixRMaj a, DMatrixRMaj y, double beta, BatchState free,
      int maxNewton) {
    int n = net.depth();
    if (n < 2) {
      throw new IllegalArgumentException("the reduced solve needs a hidden layer, depth " + n);
    }
    int batch = a.numCols;
    DMatrixRMaj[] s = free.copy().s();
    DMatrixRMaj[] e = new DMatrixRMaj[n];
    DMatrixRMaj wN = net.w(n);
    DMatrixRMaj bTop = net.b(n - 1);
    int out = net.width(n);
    // Start: the output relaxed alone, s = W^N r^{N-1} + beta (y - rho(s)) unit by unit, the hidden
    // layers held at the free state (most of the move of a strongly nudged output is this).
    s[n - 1] = clampedOutput(times(wN, Dense.rho(s[n - 2])), y, beta);
    // pairs[(p, q), i] = W^N[p, i] B^{N-1}[i, q]: then W^N diag(d) B^{N-1} for all examples is one
    // product pairs * D (the weights do not change during a solve).
    int hidden = wN.numCols;
    DMatrixRMaj pairs = new DMatrixRMaj(out * out, hidden);
    for (int p = 0; p < out; p++) {
      for (int q = 0; q < out; q++) {
        int row = (p * out + q) * hidden;
        for (int i = 0; i < hidden; i++) {
          pairs.data[row + i] = wN.unsafe_get(p, i) * bTop.unsafe_get(i, q);
        }
      }
    }
    DMatrixRMaj products = new DMatrixRMaj(out * out, batch);
    SmallLu.Factors[] factors = new SmallLu.Factors[batch];
    double previousResidual = Double.POSITIVE_INFINITY;
    // Safeguard: a column whose residual grew (while above tolerance) goes back half its last step
    // and forces a fresh Jacobian, instead of taking a Newton step from the worse point. Halving
    // stops once the step left is below tolerance: with two or more hidden layers the lower layers
    // move between iterations, so the residual recorded before the step can be out of reach from
    // the same s^N, and the column would halve forever (seen on a 4-7-4-1 network, beta 10). The
    // column then goes on from where it is, with the fresh Jacobian.
    double[] columnResidual = new double[batch];
    java.util.Arrays.fill(columnResidual, Double.POSITIVE_INFINITY);
    double[][] lastStep = new double[batch][];
    boolean[] backtrack = new boolean[batch];
    boolean forceRebuild = false;
    double lastResidual = Double.NaN;
    for (int it = 0; it <= maxNewton; it++) {
      DMatrixRMaj rN = Dense.rho(s[n - 1]);
      e[n - 1] = Dense.scale(beta, Dense.minus(y, rN));
      DMatrixRMaj gTop = Dense.minus(s[n - 1], e[n - 1]);
      DMatrixRMaj rgTop = Dense.rho(gTop);
      e[n - 2] = times(bTop, Dense.minus(rN, rgTop));
      // One sweep of the lower layers per iteration: they and s^N converge together.
      double lowerChange = sweepLowerLayers(net, a, s, e);
      DMatrixRMaj rPrev = Dense.rho(s[n - 2]);
      DMatrixRMaj res = Dense.plus(Dense.minus(times(wN, rPrev), s[n - 1]), e[n - 1]);
      double resNorm = Dense.maxAbs(res);
      double scale = 1 + Dense.maxAbs(s[n - 1]);
      if (!Double.isFinite(resNorm)) {
        throw new NonFiniteValueException("Model A weakly-clamped solve (beta " + beta + "): the residual is "
            + resNorm + " at Newton iteration " + it);
      }
      if (resNorm <= TOLERANCE * scale && lowerChange <= 0.1 * TOLERANCE) {
        return withGhostsOfModelA(net, s);
      }
      lastResidual = resNorm;
      if (it == maxNewton) {
        break;
      }
      // Chord-Newton: the Jacobian is rebuilt only when the residual did not at least quarter
      // since the last step (the product pairs * D dominates the cost of an iteration).
      boolean anyBacktrack = false;
      for (int j = 0; j < batch; j++) {
        double cr = 0;
        for (int q = 0; q < out; q++) {
          cr = Math.max(cr, Math.abs(res.unsafe_get(q, j)));
        }
        double[] ls = lastStep[j];
        backtrack[j] = ls != null && cr > columnResidual[j] && cr > TOLERANCE * scale
            && Dense.maxAbs(ls) > TOLERANCE * scale;
        if (backtrack[j] && ls != null) {
          anyBacktrack = true;
          for (int q = 0; q < out; q++) {
            ls[q] *= 0.5;
            s[n - 1].unsafe_set(q, j, s[n - 1].unsafe_get(q, j) - ls[q]);
          }
        } else {
          columnResidual[j] = cr;
        }
      }
      if (anyBacktrack) {
        previousResidual = Double.POSITIVE_INFINITY;
        forceRebuild = true;
        continue;
      }
      if (it <= 1 || forceRebuild || !(resNorm <= 0.25 * previousResidual)) {
        forceRebuild = false;
        DMatrixRMaj dPrev = Dense.slopeFromRates(rPrev);
        CommonOps_DDRM.mult(pairs, dPrev, products);
        for (int j = 0; j < batch; j++) {
          double[] jac = new double[out * out];
          for (int pq = 0; pq < out * out; pq++) {
            jac[pq] = products.unsafe_get(pq, j);
          }
          for (int q = 0; q < out; q++) {
            double rs = rN.unsafe_get(q, j);
            double ds = rs * (1 - rs);
            double rg = rgTop.unsafe_get(q, j);
            double phiPrime = ds - rg * (1 - rg) * (1 + beta * ds);
            for (int p = 0; p < out; p++) {
              jac[p * out + q] *= phiPrime;
            }
            jac[q * out + q] -= 1 + beta * ds;
          }
          factors[j] = SmallLu.factor(jac, out, "Model A weakly-clamped Jacobian, example " + j);
        }
      }
      previousResidual = resNorm;
      double[] rhs = new double[out];
      for (int j = 0; j < batch; j++) {
        for (int q = 0; q < out; q++) {
          rhs[q] = -res.unsafe_get(q, j);
        }
        double[] step = factors[j].solve(rhs);
        lastStep[j] = step;
        for (int q = 0; q < out; q++) {
          s[n - 1].unsafe_set(q, j, s[n - 1].unsafe_get(q, j) + step[q]);
        }
      }
    }
    throw new NoConvergenceException("Model A weakly-clamped solve (beta " + beta + ", depth " + n
        + "): residual " + lastResidual + " still above " + TOLERANCE + " (1 + |s^N|) after " + maxNewton
        + " Newton iterations");
  }

  /**
   * Unit by unit, the root of s = c + beta (y - rho(s)): the left side minus the right is strictly
   * increasing in s, so Newton from s = c, safeguarded by the bracket [c + beta (y - 1), c + beta y],
   * converges to the unique root (finished by bisection where 100 Newton steps did not get there).
   * It is the start of Model A's reduced solve; BatchSolverProperties checks the root.
   */
  static DMatrixRMaj clampedOutput(DMatrixRMaj c, DMatrixRMaj y, double beta) {
    DMatrixRMaj s = new DMatrixRMaj(c.numRows, c.numCols);
    for (int i = 0; i < s.data.length; i++) {
      double ci = c.data[i];
      double yi = y.data[i];
      double lo = ci + beta * (yi - 1);
      double hi = ci + beta * yi;
      double v = ci;
      boolean converged = false;
      for (int it = 0; it < 100; it++) {
        double r = Dense.rho(v);
        double f = v - ci - beta * (yi - r);
        if (f > 0) {
          hi = Math.min(hi, v);
        } else {
          lo = Math.max(lo, v);
        }
        double next = v - f / (1 + beta * r * (1 - r));
        if (!(next > lo && next < hi)) {
          next = 0.5 * (lo + hi);
        }
        if (Math.abs(next - v) <= 1e-15 * (1 + Math.abs(v))) {
          v = next;
          converged = true;
          break;
        }
        v = next;
      }
      // Newton steps that stay inside the bracket can creep through the flat tails of rho, from one
      // side of the root to the other, without closing the bracket (c 5, y 0, beta 11.7: f still
      // 1e-12 after 100 steps). Bisection then finishes: it halves the bracket every step. (On
      // 100,000 output units of MNIST batches, beta 10, initial and trained MA weights, the loop
      // above ended within 61 steps, so training does not get here and keeps its bits.)
      for (int it = 0; !converged && it < 200 && hi - lo > 1e-15 * (1 + Math.abs(v)); it++) {
        v = 0.5 * (lo + hi);
        if (v - ci - beta * (yi - Dense.rho(v)) > 0) {
          hi = v;
        } else {
          lo = v;
        }
      }
      s.data[i] = v;
    }
    return s;
  }

  /**
   * Given e^{N-1} (from s^N), one sweep over the hidden layers: errors e^{N-2}..e^1 top-down
   * from the current potentials, then s^1 = A + e^1, s^k = W^k r^{k-1} + e^k bottom-up. With one
   * hidden layer this is exact (s^1 = A + e^1). Returns the largest change of a hidden potential
   * relative to (1 + its size) (0 with one hidden layer).
   */
  private static double sweepLowerLayers(DenseNetwork net, DMatrixRMaj a, DMatrixRMaj[] s, DMatrixRMaj[] e) {
    int n = net.depth();
    if (n == 2) {
      s[0] = Dense.plus(a, e[0]);
      return 0;
    }
    for (int k = n - 2; k >= 1; k--) {
      DMatrixRMaj rs = Dense.rho(s[k]);
      e[k - 1] = times(net.b(k), Dense.minus(rs, Dense.rho(Dense.minus(s[k], e[k]))));
    }
    double change = 0;
    double size = 0;
    DMatrixRMaj s1 = Dense.plus(a, e[0]);
    change = Math.max(change, Dense.maxAbsDiff(s1, s[0]));
    size = Math.max(size, Dense.maxAbs(s1));
    s[0] = s1;
    for (int k = 2; k <= n - 1; k++) {
      DMatrixRMaj sk = Dense.plus(times(net.w(k), Dense.rho(s[k - 2])), e[k - 1]);
      change = Math.max(change, Dense.maxAbsDiff(sk, s[k - 1]));
      size = Math.max(size, Dense.maxAbs(sk));
      s[k - 1] = sk;
    }
    return change / (1 + size);
  }

  private static BatchState withGhostsOfModelA(DenseNetwork net, DMatrixRMaj[] s) {
    int n = net.depth();
    DMatrixRMaj[] g = new DMatrixRMaj[n - 1];
    for (int k = 1; k < n; k++) {
      g[k - 1] = times(net.gamma(k), Dense.rho(s[k - 1]));
    }
    return new BatchState(s, g);
  }

  /**
   * One hidden layer, any Gamma and Omega (Model B; Model A with learned ghosts), the equilibrium
   * of either phase (beta = 0: free). With s^1 = A + B rho(s^2) - Omega rho(g) eliminated, the
   * unknowns are u = (s^2, g) (n_2 + m values): R_s = -s^2 + W^2 r^1 + beta (y - rho(s^2)),
   * R_g = -g + Gamma r^1, with Jacobian [W^2; Gamma] D^1 [B D^2, -Omega G] - I - diag(beta D^2, 0).
   * Newton from {@code start}.
   */
  public static BatchState equilibriumOneHiddenLayer(DenseNetwork net, DMatrixRMaj a, DMatrixRMaj y, double beta,
      BatchState start) {
    return equilibriumOneHiddenLayer(net, a, y, beta, start, MAX_NEWTON);
  }

  /** {@code maxNewton}: the Newton steps allowed (tests pin the quadratic convergence with it). */
  static BatchState equilibriumOneHiddenLayer(DenseNetwork net, DMatrixRMaj a, DMatrixRMaj y, double beta,
      BatchState start, int maxNewton) {
    if (net.depth() != 2) {
      throw new IllegalArgumentException("the reduced (s^2, g) solve is for one hidden layer, depth " + net.depth());
    }
    int batch = a.numCols;
    DMatrixRMaj w2 = net.w(2);
    DMatrixRMaj b1 = net.b(1);
    DMatrixRMaj gam = net.gamma(1);
    DMatrixRMaj om = net.omega(1);
    int n1 = net.width(1);
    int n2 = net.width(2);
    int m = gam.numRows;
    int size = n2 + m;
    DMatrixRMaj s2 = start.s(2).copy();
    DMatrixRMaj g = start.g(1).copy();
    double lastResidual = Double.NaN;
    for (int it = 0; it <= maxNewton; it++) {
      DMatrixRMaj r2 = Dense.rho(s2);
      DMatrixRMaj rg = Dense.rho(g);
      DMatrixRMaj s1 = Dense.plus(a, Dense.minus(times(b1, r2), times(om, rg)));
      DMatrixRMaj r1 = Dense.rho(s1);
      DMatrixRMaj resS = Dense.plus(Dense.minus(times(w2, r1), s2), Dense.scale(beta, Dense.minus(y, r2)));
      DMatrixRMaj resG = Dense.minus(times(gam, r1), g);
      double resNorm = Math.max(Dense.maxAbs(resS), Dense.maxAbs(resG));
      double scale = 1 + Math.max(Dense.maxAbs(s2), Dense.maxAbs(g));
      if (!Double.isFinite(resNorm)) {
        throw new NonFiniteValueException("one-hidden-layer equilibrium solve (beta " + beta + "): the residual is "
            + resNorm + " at Newton iteration " + it);
      }
      if (resNorm <= TOLERANCE * scale) {
        return new BatchState(new DMatrixRMaj[] {s1, s2}, new DMatrixRMaj[] {g});
      }
      lastResidual = resNorm;
      if (it == maxNewton) {
        break;
      }
      double[] jac = new double[size * size];
      double[] rhs = new double[size];
      double[] right = new double[size]; // row i of [B D^2, -Omega G]
      for (int j = 0; j < batch; j++) {
        java.util.Arrays.fill(jac, 0);
        for (int i = 0; i < n1; i++) {
          double r = r1.unsafe_get(i, j);
          double d1 = r * (1 - r);
          for (int q = 0; q < n2; q++) {
            double rq = r2.unsafe_get(q, j);
            right[q] = b1.unsafe_get(i, q) * rq * (1 - rq);
          }
          for (int q = 0; q < m; q++) {
            double gq = rg.unsafe_get(q, j);
            right[n2 + q] = -om.unsafe_get(i, q) * gq * (1 - gq);
          }
          for (int p = 0; p < size; p++) {
            double left = (p < n2 ? w2.unsafe_get(p, i) : gam.unsafe_get(p - n2, i)) * d1;
            if (left == 0) {
              continue;
            }
            int row = p * size;
            for (int q = 0; q < size; q++) {
              jac[row + q] += left * right[q];
            }
          }
        }
        for (int p = 0; p < size; p++) {
          jac[p * size + p] -= 1;
        }
        for (int q = 0; q < n2; q++) {
          double rq = r2.unsafe_get(q, j);
          jac[q * size + q] -= beta * rq * (1 - rq);
          rhs[q] = -resS.unsafe_get(q, j);
        }
        for (int q = 0; q < m; q++) {
          rhs[n2 + q] = -resG.unsafe_get(q, j);
        }
        double[] step = SmallLu.solve(jac, rhs, size, "one-hidden-layer Jacobian (beta " + beta + "), example " + j);
        for (int q = 0; q < n2; q++) {
          s2.unsafe_set(q, j, s2.unsafe_get(q, j) + step[q]);
        }
        for (int q = 0; q < m; q++) {
          g.unsafe_set(q, j, g.unsafe_get(q, j) + step[n2 + q]);
        }
      }
    }
    throw new NoConvergenceException("one-hidden-layer equilibrium solve (beta " + beta + "): residual " + lastResidual
        + " still above " + TOLERANCE + " (1 + |u|) after " + maxNewton + " Newton iterations");
  }

  /**
   * {@link #equilibriumOneHiddenLayer}, and where Newton from {@code start} fails (it can cycle far
   * from the root when the loop through the ghosts is strong: MB-TF-100 at large weights,
   * reports/model-b-bias-trained.md, part 4), the equilibrium that defines the phase: the one the
   * dynamics settle in from {@code start}, by {@link #settleByEuler} as {@link #nudgedModelASafe}
   * does for Model A. Where Newton converges nothing else runs, so runs that never needed the
   * fallback are bitwise unchanged; where it runs, the batch is counted in {@code fallbacks}
   * (changed).
   */
  public static BatchState settleOneHiddenLayer(DenseNetwork net, DMatrixRMaj a, DMatrixRMaj y, double beta,
      BatchState start, double h, EulerFallbacks fallbacks) {
    return settleOneHiddenLayer(net, a, y, beta, start, h, MAX_NEWTON, fallbacks);
  }

  /** {@code maxNewton} below MAX_NEWTON forces the fallback (tests). */
  static BatchState settleOneHiddenLayer(DenseNetwork net, DMatrixRMaj a, DMatrixRMaj y, double beta,
      BatchState start, double h, int maxNewton, EulerFallbacks fallbacks) {
    try {
      return equilibriumOneHiddenLayer(net, a, y, beta, start, maxNewton);
    } catch (NoConvergenceException | NonFiniteValueException | ghostunits.numeric.SingularMatrixException e) {
      return settleByEuler(net, a, y, beta, start, h, "the batch (Newton: " + e.getMessage() + ")",
          fallbacks);
    }
  }

  /**
   * Model B's fast ghost rule (eq. 15) at its fixed point, for a batch of one example: Omega^k
   * replaced by the least-change solution of Omega^k rho(Gamma^k r_hat^k) = B^k r_hat^{k+1}, the
   * limit eq. 15 reaches when the state is held at the MLP state (every increment is a multiple of
   * rho(g)^T): Omega + (b - Omega u) u^T / (u^T u).
   */
  public static BatchState fitGhostsModelB(DenseNetwork net, DMatrixRMaj a) {
    if (a.numCols != 1) {
      throw new IllegalArgumentException("Model B fits its ghosts example by example (batch 1), got batch "
          + a.numCols);
    }
    BatchState fwd = forward(net, a);
    for (int k = 1; k < net.depth(); k++) {
      DMatrixRMaj u = Dense.rho(times(net.gamma(k), Dense.rho(fwd.s(k))));
      DMatrixRMaj target = times(net.b(k), Dense.rho(fwd.s(k + 1)));
      DMatrixRMaj miss = Dense.minus(target, times(net.omega(k), u));
      double uu = 0;
      for (double v : u.data) {
        uu += v * v;
      }
      DMatrixRMaj om = net.omega(k).copy();
      // u > 0 entrywise (sigmoid), so u^T u > 0.
      CommonOps_DDRM.multAddTransB(1.0 / uu, miss, u, om);
      net.setOmega(k, om);
    }
    // The MLP state does not involve Omega; only its ghosts' drive is re-read.
    return forward(net, a);
  }

  /**
   * Eq. 4 and 5 at the state z, averaged over the batch, one rate per hidden layer (eta_GP = eta_PG =
   * eta_k): dGamma^k = (eta_k / batch) sum_j (s^{k+1}_j - g^k_j) (r^k_j)^T and
   * dOmega^k = (eta_k / batch) sum_j e^k_j rho(g^k_j)^T, e^k = B^k r^{k+1} - Omega^k rho(g^k).
   * Returns {dGamma^1.., dOmega^1..} (index 0 and 1), nothing changed.
   */
  public static DMatrixRMaj[][] ghostUpdate(DenseNetwork net, BatchState z, double[] eta) {
    int n = net.depth();
    int batch = z.s(1).numCols;
    DMatrixRMaj[] dGamma = new DMatrixRMaj[n - 1];
    DMatrixRMaj[] dOmega = new DMatrixRMaj[n - 1];
    for (int k = 1; k < n; k++) {
      DMatrixRMaj rk = Dense.rho(z.s(k));
      DMatrixRMaj rg = Dense.rho(z.g(k));
      DMatrixRMaj miss = Dense.minus(z.s(k + 1), z.g(k));
      DMatrixRMaj e = Dense.minus(times(net.b(k), Dense.rho(z.s(k + 1))), times(net.omega(k), rg));
      dGamma[k - 1] = new DMatrixRMaj(net.gamma(k).numRows, net.width(k));
      CommonOps_DDRM.multTransB(eta[k - 1] / batch, miss, rk, dGamma[k - 1]);
      dOmega[k - 1] = new DMatrixRMaj(net.width(k), net.omega(k).numCols);
      CommonOps_DDRM.multTransB(eta[k - 1] / batch, e, rg, dOmega[k - 1]);
    }
    return new DMatrixRMaj[][] {dGamma, dOmega};
  }

  /**
   * The same update as {@link #weightUpdate}, added to the weights in place (no n_k x n_{k-1}
   * temporary per batch): each W^k's bracket is computed before W^k changes.
   */
  public static void applyWeightUpdate(DenseNetwork net, DMatrixRMaj x, DMatrixRMaj a, BatchState z,
      double[] factors) {
    int n = net.depth();
    DMatrixRMaj[] diff = new DMatrixRMaj[n];
    DMatrixRMaj[] prev = new DMatrixRMaj[n];
    DMatrixRMaj p = x;
    for (int k = 1; k <= n; k++) {
      DMatrixRMaj bottom = k == 1 ? a : times(net.w(k), p);
      DMatrixRMaj rk = Dense.rho(z.s(k));
      diff[k - 1] = Dense.minus(rk, Dense.rho(bottom));
      prev[k - 1] = p;
      p = rk;
    }
    for (int k = 1; k <= n; k++) {
      net.addOuterToW(k, factors[k - 1] / x.numCols, diff[k - 1], prev[k - 1]);
    }
  }

  /**
   * Eq. 6, rate-difference form, averaged over the batch: dW^k = (c_k / batch) sum_j
   * (rho(s^k_j) - rho(W^k r^{k-1}_j)) (r^{k-1}_j)^T, at the weakly-clamped state z (c_k = eta_k / beta
   * or eta_k, {@link TrainConfig#weightFactor}).
   */
  public static DMatrixRMaj[] weightUpdate(DenseNetwork net, DMatrixRMaj x, DMatrixRMaj a, BatchState z,
      double[] factors) {
    int n = net.depth();
    DMatrixRMaj[] dw = new DMatrixRMaj[n];
    DMatrixRMaj prev = x;
    for (int k = 1; k <= n; k++) {
      DMatrixRMaj bottom = k == 1 ? a : times(net.w(k), prev);
      DMatrixRMaj rk = Dense.rho(z.s(k));
      DMatrixRMaj diff = Dense.minus(rk, Dense.rho(bottom));
      DMatrixRMaj d = new DMatrixRMaj(net.width(k), net.width(k - 1));
      CommonOps_DDRM.multTransB(factors[k - 1] / x.numCols, diff, prev, d);
      dw[k - 1] = d;
      prev = rk;
    }
    return dw;
  }
}
