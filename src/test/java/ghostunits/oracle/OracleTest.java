package ghostunits.oracle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ghostunits.dynamics.NoConvergenceException;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/**
 * {@link Oracle#evaluate} at the edges of its digit range, and how a failure inside one of its
 * concurrent phases reaches the caller: as the phase's own exception, unchanged, or as an error
 * when the wait itself is interrupted. (Whole evaluations that fail are checked elsewhere:
 * a solver's failure by {@code OracleCommandTest}, a refused beta by {@code MalformedInputProperties}.)
 */
class OracleTest {
  private static NetworkFile small() throws Exception {
    return GoldenSuite.build(GoldenSuite.cases(false).get(0), null);
  }

  @Test
  void digitsOutsideTwentyToTenThousandAreRefusedBeforeAnyWork() throws Exception {
    NetworkFile net = small();
    assertThatThrownBy(() -> Oracle.evaluate(net, null, null, Schema.fieldsOf("mlp"), 19))
        .isInstanceOf(OracleInputException.class).hasMessage("--digits 19: the oracle works at 20..10000 digits");
    assertThatThrownBy(() -> Oracle.evaluate(net, null, null, Schema.fieldsOf("mlp"), 10_001))
        .isInstanceOf(OracleInputException.class).hasMessage("--digits 10001: the oracle works at 20..10000 digits");
  }

  /** Both ends of the range pass the check (an evaluation at 10,000 digits takes seconds, even of one unit). */
  @Test
  void digitsAtTwentyAndAtTenThousandAreAccepted() throws Exception {
    Oracle.requireDigits(Oracle.MIN_DIGITS);
    Oracle.requireDigits(Oracle.MAX_DIGITS);
    long before = System.nanoTime();
    Oracle.Result r = Oracle.evaluate(small(), null, null, Schema.fieldsOf("mlp"), Oracle.MIN_DIGITS);
    double wall = (System.nanoTime() - before) / 1e9;
    assertThat(r.digits()).isEqualTo(Oracle.MIN_DIGITS);
    assertThat(r.seconds()).as("the result's own timing, within the call's").isBetween(0.0, wall);
    assertThat(r.values().fields()).containsExactlyElementsOf(Schema.fieldsOf("mlp"));
  }

  /** An interrupt while waiting for a phase is an error, and the thread keeps its interrupt flag. */
  @Test
  void anInterruptWhileWaitingIsAnErrorAndTheFlagIsKept() {
    CompletableFuture<String> never = new CompletableFuture<>();
    for (Runnable wait : List.<Runnable>of(() -> Oracle.await(never), () -> Oracle.awaitDone(never))) {
      Thread.currentThread().interrupt();
      assertThatThrownBy(wait::run).isInstanceOf(IllegalStateException.class)
          .hasMessage("interrupted while waiting for an evaluation phase").hasCauseInstanceOf(InterruptedException.class);
      assertThat(Thread.interrupted()).as("interrupt flag set again (and cleared here)").isTrue();
    }
  }

  /** Unchecked exceptions and errors leave a phase as they were thrown; anything else is wrapped. */
  @Test
  void aPhaseFailureIsRethrownAsItWas() {
    NoConvergenceException typed = new NoConvergenceException("typed");
    IllegalArgumentException unchecked = new IllegalArgumentException("unchecked");
    StackOverflowError error = new StackOverflowError("error");
    for (Throwable t : List.of(typed, unchecked, error)) {
      assertThatThrownBy(() -> Oracle.rethrow(new ExecutionException(t))).isSameAs(t);
      assertThatThrownBy(() -> Oracle.await(CompletableFuture.failedFuture(t))).isSameAs(t);
    }
    IOException checked = new IOException("checked");
    assertThatThrownBy(() -> Oracle.awaitDone(CompletableFuture.failedFuture(checked)))
        .isInstanceOf(IllegalStateException.class).hasMessage("an evaluation phase failed").hasCause(checked);
  }
}
