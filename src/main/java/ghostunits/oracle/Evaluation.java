package ghostunits.oracle;

import ghostunits.dynamics.Equilibrium;
import ghostunits.dynamics.EquilibriumSolver;
import ghostunits.dynamics.GhostNetwork;
import ghostunits.dynamics.NoConvergenceException;
import ghostunits.dynamics.RefinedNewtonSolver;
import ghostunits.dynamics.State;
import ghostunits.dynamics.Stimulus;
import ghostunits.model.Layers;
import ghostunits.model.Mlp;
import ghostunits.model.Model;
import ghostunits.model.Sigmoid;
import ghostunits.model.SquaredError;
import ghostunits.numeric.Backend;
import ghostunits.numeric.DoubleBackend;
import ghostunits.numeric.ScalarField;
import ghostunits.numeric.SingularMatrixException;
import ghostunits.plasticity.LocalRules;
import ghostunits.theory.LinearResponse;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.ejml.data.DMatrixRMaj;

/**
 * Every oracle value of one network at one precision, computed once with the project's own
 * code: the MLP pass, backprop and FA errors and gradients ({@link Mlp}), the free and nudged
 * equilibria ({@link RefinedNewtonSolver}, the fast path proven equal to {@link
 * EquilibriumSolver}), the estimates and eq. 6 ({@link LocalRules}), the linear response ({@link
 * LinearResponse}). Weight updates and gradients are rank one, u (r^{k-1})^T, and are kept as
 * their factors: a 500 x 784 matrix is formed only when written, and certified from its factors.
 */
public final class Evaluation<S, V, M> {

  /** One field at one layer: a vector, or the rank-one matrix left right^T. */
  public sealed interface Value<V> permits Vec, RankOne {}

  /** A vector value. */
  public record Vec<V>(V v) implements Value<V> {}

  /** A matrix value left right^T, entry (i, j) = left_i * right_j rounded once. */
  public record RankOne<V>(V left, V right) implements Value<V> {}

  /**
   * How an equilibrium (or the linear response) was found: the method, the iterations, the last
   * step taken, the max-norm of the field at the result, the size of the next correction the
   * solver would make (its error estimate), and |z| (max-norm of the state).
   */
  public record Solve<S>(String method, int iterations, S lastStep, S residual, S correction, S stateNorm) {}

  /** Above this many state variables a failed refined solve is not retried densely at full precision. */
  static final int DENSE_FALLBACK_MAX = 200;

  private final Backend<S, V, M> backend;
  private final Map<Schema.Field, Layers<Value<V>>> values;
  private final Map<String, Solve<S>> solves;

  private Evaluation(Backend<S, V, M> backend, Map<Schema.Field, Layers<Value<V>>> values, Map<String, Solve<S>> solves) {
    this.backend = backend;
    this.values = Collections.unmodifiableMap(values);
    this.solves = Collections.unmodifiableMap(solves);
  }

  public Backend<S, V, M> backend() {
    return backend;
  }

  /** The fields computed, in schema order. */
  public List<Schema.Field> fields() {
    return new ArrayList<>(values.keySet());
  }

  public Layers<Value<V>> get(Schema.Field f) {
    Layers<Value<V>> v = values.get(f);
    if (v == null) {
      throw new IllegalArgumentException("field " + f.path() + " was not computed");
    }
    return v;
  }

  /** Solver reports by block ("free", "nudged", "nudged_negative", "linear_response"). */
  public Map<String, Solve<S>> solves() {
    return solves;
  }

  /**
   * Computes the wanted fields.
   *
   * @param beta the nudging strength (may be null when no wanted field needs it)
   * @param etaW the learning rate of eq. 6 for the "update" block (null when not wanted)
   * @throws OracleInputException when beta or eta_W is missing, or beta = 0 where a field divides by it
   */
  public static <S, V, M> Evaluation<S, V, M> run(Backend<S, V, M> be, NetworkFile file, @Nullable BigDecimal beta,
      @Nullable BigDecimal etaW, List<Schema.Field> wanted) {
    Run<S, V, M> run = new Run<>(be, file, beta, etaW, wanted);
    run.common();
    for (Runnable side : run.sides()) {
      side.run();
    }
    return run.finish();
  }

  /**
   * One evaluation in phases: the constructor checks beta and eta_W and converts the weights,
   * {@link #common} computes the MLP pass and backprop, then the {@link #sides} (the free phase
   * with the linear response, the nudged phase with the estimates, the mirror phase) are
   * independent of each other and may run concurrently, and {@link #finish} assembles the values.
   */
  static final class Run<S, V, M> {    final Backend<S, V, M> b;
    final ScalarField<S> f;
    final Model<S, V, M> model;
    final NetworkFile file;
    final GhostNetwork<S, V, M> net;
    final GhostNetwork<Double, double[], DMatrixRMaj> approx;
    final V x;
    final V y;
    final @Nullable BigDecimal betaDecimal;
    final @Nullable BigDecimal etaW;
    final List<Schema.Field> wanted;
    final Map<Schema.Field, Layers<Value<V>>> values = new ConcurrentHashMap<>();
    final Map<String, Solve<S>> solves = new ConcurrentHashMap<>();
    final int n;
    final S beta;
    final S eta;
    /** Set by common(); read by the sides, which start after it. */
    private volatile Mlp.@Nullable Forward<V> forward;
    private volatile @Nullable Layers<V> nudgedErrors;
    private volatile @Nullable Layers<V> negativeErrors;

    Run(Backend<S, V, M> be, NetworkFile file, @Nullable BigDecimal beta, @Nullable BigDecimal etaW,
        List<Schema.Field> wanted) {
      this.b = be;
      this.f = be.scalars();
      // The paper's sigmoid and squared error (the only ones a network file may name), memoized.
      this.model = new Model<>(be, new MemoizedActivation(Sigmoid.INSTANCE), SquaredError.INSTANCE);
      this.file = file;
      this.net = new GhostNetwork<>(model, file.weights(be));
      this.approx = new GhostNetwork<>(Model.paper(DoubleBackend.INSTANCE), file.weights(DoubleBackend.INSTANCE));
      this.x = file.x(be);
      this.y = file.y(be);
      this.betaDecimal = beta;
      this.etaW = etaW;
      this.wanted = wanted;
      this.n = file.depth();
      // Check beta and eta_W before any long computation.
      boolean wantsQuotient = wanted.stream().anyMatch(Schema.Field::dividesByBeta);
      boolean wantsBeta = wanted.stream().anyMatch(Schema.Field::needsBeta);
      this.beta = wantsQuotient ? quotientBeta(f, beta, wanted) : wantsBeta ? beta(f, beta, wanted) : f.zero();
      BigDecimal e = etaW;
      if (wanted.stream().anyMatch(fl -> fl.block().equals("update")) && e == null) {
        throw new OracleInputException("the \"update\" block needs the learning rate eta_W (pass --eta-w, or give"
            + " \"eta_W\" in the candidate file)");
      }
      this.eta = e == null ? f.one() : f.fromDecimal(e);
    }

    boolean wants(String block) {
      for (Schema.Field fl : wanted) {
        if (fl.block().equals(block)) {
          return true;
        }
      }
      return false;
    }

    boolean wants(String block, String name) {
      for (Schema.Field fl : wanted) {
        if (fl.block().equals(block) && fl.name().equals(name)) {
          return true;
        }
      }
      return false;
    }

    void put(String block, String name, Layers<Value<V>> v) {
      Schema.Field fl = Schema.field(block, name);
      if (fl == null) {
        throw new IllegalStateException("no field " + block + "." + name + " in the schema");
      }
      if (wanted.contains(fl)) {
        values.put(fl, v);
      }
    }

    Layers<Value<V>> vectors(Layers<V> v) {
      return v.map(Vec::new);
    }

    Layers<Value<V>> rankOne(Layers<V> left, Layers<V> right) {
      return Layers.build(1, left.count(), k -> new RankOne<>(left.at(k), right.at(k - 1)));
    }

    /** beta as a scalar; an error naming the fields that need it when it is missing. */
    static <S> S beta(ScalarField<S> f, @Nullable BigDecimal beta, List<Schema.Field> wanted) {
      if (beta == null) {
        List<String> needing = new ArrayList<>();
        for (Schema.Field fl : wanted) {
          if (fl.needsBeta()) {
            needing.add(fl.path());
          }
        }
        throw new OracleInputException("no beta given, but " + needing + " need the nudged phase (pass --beta, or"
            + " give \"beta\" in the candidate file)");
      }
      return f.fromDecimal(beta);
    }

    /** beta for fields that divide by it: nonzero. */
    static <S> S quotientBeta(ScalarField<S> f, @Nullable BigDecimal beta, List<Schema.Field> wanted) {
      S value = beta(f, beta, wanted);
      if (f.compare(value, f.zero()) == 0) {
        List<String> dividing = new ArrayList<>();
        for (Schema.Field fl : wanted) {
          if (fl.dividesByBeta()) {
            dividing.add(fl.path());
          }
        }
        throw new OracleInputException("beta = 0, but " + dividing + " divide by beta (use a nonzero beta, or"
            + " leave those fields out)");
      }
      return value;
    }

    /** The MLP pass, backprop and feedback alignment. */
    void common() {
      Mlp.Forward<V> fwd = Mlp.forward(model, net.weights().w(), x);
      put("mlp", "s", vectors(fwd.s()));
      put("mlp", "r", vectors(Layers.build(1, n, k -> fwd.r().at(k))));
      if (wants("backprop")) {
        Layers<V> delta = Mlp.deltas(model, net.weights().w(), fwd, y);
        put("backprop", "delta", vectors(delta));
        put("backprop", "dW", rankOne(Mlp.gradientFactors(model, fwd, delta), fwd.r()));
      }
      if (wants("feedback_alignment")) {
        Layers<V> deltaFa = Mlp.deltasFeedbackAlignment(model, net.weights().b(), fwd, y);
        put("feedback_alignment", "delta", vectors(deltaFa));
        put("feedback_alignment", "dW", rankOne(Mlp.gradientFactors(model, fwd, deltaFa), fwd.r()));
      }
      forward = fwd;
    }

    private Mlp.Forward<V> fwd() {
      Mlp.Forward<V> fwd = forward;
      if (fwd == null) {
        throw new IllegalStateException("Evaluation.Run: common() must run before the sides");
      }
      return fwd;
    }

    boolean symmetric() {
      return wants("nudged_negative") || wants("estimate", "symmetric_e_over_beta");
    }

    /** The independent phases still to compute, the longest first. */
    List<Runnable> sides() {
      List<Runnable> out = new ArrayList<>();
      if (wants("nudged") || wants("estimate") || wants("update") || symmetric()) {
        out.add(this::nudgedSide);
      }
      if (wants("free") || wants("linear_response")) {
        out.add(this::freeSide);
      }
      if (symmetric()) {
        out.add(this::negativeSide);
      }
      return out;
    }

    /** The free equilibrium (MLP start) and the linear response there. */
    void freeSide() {
      Mlp.Forward<V> fwd = fwd();
      Stimulus<S, V> stim0 = new Stimulus<>(x, y, f.zero());
      Equilibrium<S, V> free = solve("free", stim0, fwd.s().at(1), net.forwardState(fwd));
      putEquilibrium("free", free);
      if (wants("linear_response")) {
        UnaryOperator<V> solver = linearSolver(stim0, free.state());
        LinearResponse.Response<V> lr = LinearResponse.at(net, free, stim0, solver);
        put("linear_response", "xi", vectors(lr.xi()));
        put("linear_response", "gamma", vectors(lr.gamma()));
        put("linear_response", "eps", vectors(lr.eps()));
      }
    }

    /** The nudged equilibrium, e/beta and eq. 6. */
    void nudgedSide() {
      Mlp.Forward<V> fwd = fwd();
      V inputDrive = fwd.s().at(1); // W^1 x, computed once
      Stimulus<S, V> stim = new Stimulus<>(x, y, beta);
      Equilibrium<S, V> nudged = solve("nudged", stim, inputDrive, net.forwardState(fwd));
      putEquilibrium("nudged", nudged);
      Layers<V> e = nudged.errors();
      nudgedErrors = e;
      put("estimate", "e_over_beta", vectors(e.map(v -> divide(v, beta))));
      Layers<V> r = net.rates(nudged.state(), x);
      Layers<V> drives = Layers.build(1, n, k -> k == 1 ? inputDrive : b.times(net.weights().w().at(k), r.at(k - 1)));
      if (wants("estimate", "dW")) {
        // -(eq. 6 update)/eta_W: the update with eta_W = 1, negated.
        put("estimate", "dW", rankOne(LocalRules.rateDifferenceFactors(model, r, drives, f.one(), beta)
            .map(this::negate), r));
      }
      if (wants("estimate", "dW_first_order")) {
        put("estimate", "dW_first_order", rankOne(LocalRules.firstOrderFactors(model, nudged.state(), e, f.one(), beta)
            .map(this::negate), r));
      }
      if (wants("update")) {
        put("update", "dW", rankOne(LocalRules.rateDifferenceFactors(model, r, drives, eta, beta), r));
        put("update", "dW_first_order", rankOne(LocalRules.firstOrderFactors(model, nudged.state(), e, eta, beta), r));
      }
    }

    /** The mirror phase -beta, for the symmetric estimate. */
    void negativeSide() {
      Mlp.Forward<V> fwd = fwd();
      Stimulus<S, V> mirror = new Stimulus<>(x, y, f.negate(beta));
      Equilibrium<S, V> negative = solve("nudged_negative", mirror, fwd.s().at(1), net.forwardState(fwd));
      putEquilibrium("nudged_negative", negative);
      negativeErrors = negative.errors();
    }

    /** The values, in schema order, once every side has run. */
    Evaluation<S, V, M> finish() {
      if (symmetric()) {
        Layers<V> plus = nudgedErrors;
        Layers<V> minus = negativeErrors;
        if (plus == null || minus == null) {
          throw new IllegalStateException("Evaluation.Run: finish() before the nudged and mirror phases");
        }
        S twoBeta = f.multiply(f.fromDouble(2), beta);
        put("estimate", "symmetric_e_over_beta", vectors(Layers.build(1, n, k ->
            divide(b.minus(plus.at(k), minus.at(k)), twoBeta))));
      }
      Map<Schema.Field, Layers<Value<V>>> ordered = new LinkedHashMap<>();
      for (Schema.Field fl : Schema.FIELDS) {
        Layers<Value<V>> v = values.get(fl);
        if (v != null) {
          ordered.put(fl, v);
        } else if (wanted.contains(fl)) {
          // A phase left out would otherwise be a result file silently without the field.
          throw new IllegalStateException("Evaluation.Run: " + fl.path() + " was asked for but no phase computed it");
        }
      }
      return new Evaluation<>(b, ordered, new LinkedHashMap<>(solves));
    }

    V divide(V v, S by) {
      return b.map(v, a -> f.divide(a, by));
    }

    V negate(V v) {
      return b.map(v, f::negate);
    }

    void putEquilibrium(String block, Equilibrium<S, V> eq) {
      put(block, "s", vectors(eq.state().s()));
      put(block, "g", vectors(eq.state().g()));
      put(block, "e", vectors(eq.errors()));
    }

    /** The refined solve; if it fails on a small network, the dense reference solver at full precision. */
    Equilibrium<S, V> solve(String block, Stimulus<S, V> stim, V inputDrive, State<V> start) {
      try {
        RefinedNewtonSolver.Refined<S, V> r = RefinedNewtonSolver.solve(net, approx, stim, inputDrive, start);
        Equilibrium<S, V> eq = r.equilibrium();
        solves.put(block, new Solve<>("Newton with a double-precision Jacobian and the field at " + f.name()
            + " (mixed-precision refinement" + (r.fromDoubleSolve() ? ", started from a double-precision solve" : "")
            + ")", eq.iterations(), eq.lastStep(), eq.residual(), r.correction(), b.normMax(net.flatten(eq.state()))));
        return eq;
      } catch (NoConvergenceException | SingularMatrixException e) {
        int size = b.size(net.flatten(start));
        if (size > DENSE_FALLBACK_MAX) {
          throw new NoConvergenceException(block + " phase: " + e.getMessage());
        }
        Equilibrium<S, V> eq;
        try {
          eq = EquilibriumSolver.solve(net, stim, start);
        } catch (NoConvergenceException | SingularMatrixException again) {
          throw new NoConvergenceException(block + " phase: " + again.getMessage());
        }
        // The dense solver's error estimate: one more Newton step at the result (not taken).
        V next = b.solve(net.jacobian(eq.state(), stim), b.scale(f.negate(f.one()), net.flatten(net.field(eq.state(), stim))));
        solves.put(block, new Solve<>("dense Newton at " + f.name() + " (the refined solve failed: " + e.getMessage() + ")",
            eq.iterations(), eq.lastStep(), eq.residual(), b.normMax(next), b.normMax(net.flatten(eq.state()))));
        return eq;
      }
    }

    UnaryOperator<V> linearSolver(Stimulus<S, V> stim0, State<V> free) {
      try {
        UnaryOperator<V> refined = RefinedNewtonSolver.linearSolver(net, approx, stim0, free);
        return rhs -> {
          try {
            return refined.apply(rhs);
          } catch (NoConvergenceException e) {
            return dense(stim0, free, rhs, e);
          }
        };
      } catch (SingularMatrixException e) {
        return rhs -> dense(stim0, free, rhs, e);
      }
    }

    V dense(Stimulus<S, V> stim0, State<V> free, V rhs, RuntimeException cause) {
      if (b.size(rhs) > DENSE_FALLBACK_MAX) {
        throw new NoConvergenceException("linear response: " + cause.getMessage());
      }
      return b.solve(net.jacobian(free, stim0), rhs);
    }
  }
}
