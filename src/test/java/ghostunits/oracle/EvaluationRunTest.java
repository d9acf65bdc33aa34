package ghostunits.oracle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ghostunits.dynamics.Equilibrium;
import ghostunits.dynamics.EquilibriumSolver;
import ghostunits.dynamics.NoConvergenceException;
import ghostunits.dynamics.Stimulus;
import ghostunits.model.Feedback;
import ghostunits.model.Mlp;
import ghostunits.numeric.DoubleBackend;
import java.math.BigDecimal;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * An evaluation's phases: asked for any one block, exactly that block's fields come back (a phase
 * skipped is an error, not a result without the field); and the linear response's fallback when
 * the refined solve fails: a dense solve of the free phase's Jacobian system at the working
 * precision, on networks of at most {@link Evaluation#DENSE_FALLBACK_MAX} state variables, an error
 * naming the failure above that. No random network makes the refined solve fail, so the fallback
 * is called directly, at the size limit and one past it.
 */
class EvaluationRunTest {
  private static final DoubleBackend B = DoubleBackend.INSTANCE;

  /** MA 2-h-2: h + 2 pyramidal units and 2 ghosts, so h + 4 state variables. */
  private static Evaluation.Run<Double, double[], DMatrixRMaj> run(int hidden) throws Exception {
    GoldenSuite.Case c = new GoldenSuite.Case("fallback", NetworkFile.ModelKind.MA, Feedback.TF,
        new int[] {2, hidden, 2}, new int[] {2}, false, 1.0, 11L, List.of(), false);
    return new Evaluation.Run<>(B, GoldenSuite.build(c, null), BigDecimal.ONE, null, Schema.fieldsOf("free"));
  }

  private static Equilibrium<Double, double[]> free(Evaluation.Run<Double, double[], DMatrixRMaj> run,
      Stimulus<Double, double[]> stim0) {
    return EquilibriumSolver.solve(run.net, stim0, run.net.forwardState(Mlp.forward(run.model, run.net.weights().w(), run.x)));
  }

  @Test
  void eachBlockAloneGivesExactlyItsFields() throws Exception {
    NetworkFile net = GoldenSuite.build(GoldenSuite.cases(false).get(3), null); // MA-FA, one hidden layer
    Set<String> blocks = new LinkedHashSet<>();
    Schema.FIELDS.forEach(f -> blocks.add(f.block()));
    assertThat(blocks).hasSizeGreaterThanOrEqualTo(9);
    for (String block : blocks) {
      List<Schema.Field> wanted = Schema.fieldsOf(block);
      Evaluation<Double, double[], DMatrixRMaj> e = Evaluation.run(B, net, new BigDecimal("0.01"), BigDecimal.ONE, wanted);
      assertThat(e.fields()).as(block).containsExactlyElementsOf(wanted);
    }
  }

  @Test
  void atTheSizeLimitTheFallbackSolvesTheJacobianSystem() throws Exception {
    Evaluation.Run<Double, double[], DMatrixRMaj> run = run(Evaluation.DENSE_FALLBACK_MAX - 4);
    Stimulus<Double, double[]> stim0 = new Stimulus<>(run.x, run.y, 0.0);
    Equilibrium<Double, double[]> free = free(run, stim0);
    assertThat(B.size(run.net.flatten(free.state()))).isEqualTo(Evaluation.DENSE_FALLBACK_MAX);
    double[] rhs = B.vector(Evaluation.DENSE_FALLBACK_MAX, i -> Math.sin(i + 1.0));
    double[] z = run.dense(stim0, free.state(), rhs, new NoConvergenceException("planted"));
    DMatrixRMaj jac = run.net.jacobian(free.state(), stim0);
    double residual = B.normMax(B.minus(B.times(jac, z), rhs));
    // LU's backward error, 8 n eps (|J| |z| + |r|) row by row, bounded above with n max|J| max|z|.
    int n = Evaluation.DENSE_FALLBACK_MAX;
    double scale = n * B.matNormMax(jac) * B.normMax(z) + B.normMax(rhs);
    assertThat(residual).as("|J z - r| against n |J| |z| + |r| = %s", scale)
        .isLessThanOrEqualTo(8 * n * Math.ulp(1.0) * scale);
  }

  @Test
  void pastTheSizeLimitTheFallbackNamesTheFailure() throws Exception {
    Evaluation.Run<Double, double[], DMatrixRMaj> run = run(Evaluation.DENSE_FALLBACK_MAX - 3);
    Stimulus<Double, double[]> stim0 = new Stimulus<>(run.x, run.y, 0.0);
    Equilibrium<Double, double[]> free = free(run, stim0);
    double[] rhs = B.vector(Evaluation.DENSE_FALLBACK_MAX + 1, i -> 1.0);
    assertThatThrownBy(() -> run.dense(stim0, free.state(), rhs, new NoConvergenceException("planted failure")))
        .isInstanceOf(NoConvergenceException.class).hasMessage("linear response: planted failure");
  }
}
