package ghostunits.oracle;

import ghostunits.numeric.ApfloatBackend;
import ghostunits.numeric.ApfloatMatrix;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apfloat.Apfloat;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The reference: a network evaluated at p digits and, concurrently, at p + {@link #GUARD} digits,
 * with the certificate that compares the two ({@link Certification}). A failure of any phase is
 * thrown as it is (a typed exception); the other phases are abandoned.
 */
public final class Oracle {
  private Oracle() {}

  /** Extra digits of the reference evaluation. */
  public static final int GUARD = 20;

  public static final int MIN_DIGITS = 20;
  public static final int MAX_DIGITS = 10_000;

  /** The p-digit values and their certificate. */
  public record Result(NetworkFile network, @Nullable BigDecimal beta, @Nullable BigDecimal etaW, long digits,
      Evaluation<Apfloat, Apfloat[], ApfloatMatrix> values, Certification<Apfloat> certification, double seconds) {}

  public static Result evaluate(NetworkFile network, @Nullable BigDecimal beta, @Nullable BigDecimal etaW,
      List<Schema.Field> wanted, long digits) {
    requireDigits(digits);
    long started = System.nanoTime();
    ApfloatBackend working = new ApfloatBackend(digits);
    ApfloatBackend reference = new ApfloatBackend(digits + GUARD);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS, r -> {
      Thread t = new Thread(r, "oracle-worker");
      t.setDaemon(true);
      return t;
    });
    try {
      // The two precisions are independent, and within each the free, nudged and mirror phases
      // are: six tasks, the reference's (slower) first, on two threads.
      Future<Evaluation.Run<Apfloat, Apfloat[], ApfloatMatrix>> refRun = pool.submit(() -> {
        Evaluation.Run<Apfloat, Apfloat[], ApfloatMatrix> r = new Evaluation.Run<>(reference, network, beta, etaW, wanted);
        r.common();
        return r;
      });
      Future<Evaluation.Run<Apfloat, Apfloat[], ApfloatMatrix>> workRun = pool.submit(() -> {
        Evaluation.Run<Apfloat, Apfloat[], ApfloatMatrix> r = new Evaluation.Run<>(working, network, beta, etaW, wanted);
        r.common();
        return r;
      });
      Evaluation.Run<Apfloat, Apfloat[], ApfloatMatrix> ref = await(refRun);
      Evaluation.Run<Apfloat, Apfloat[], ApfloatMatrix> work = await(workRun);
      List<Future<?>> sides = new ArrayList<>();
      for (Runnable side : ref.sides()) {
        sides.add(pool.submit(side));
      }
      for (Runnable side : work.sides()) {
        sides.add(pool.submit(side));
      }
      for (Future<?> side : sides) {
        awaitDone(side);
      }
      Evaluation<Apfloat, Apfloat[], ApfloatMatrix> values = work.finish();
      Evaluation<Apfloat, Apfloat[], ApfloatMatrix> refValues = ref.finish();
      Certification<Apfloat> cert = Certification.of(values, refValues, reference, digits, digits + GUARD);
      return new Result(network, beta, etaW, digits, values, cert, (System.nanoTime() - started) / 1e9);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Refuses a precision outside {@link #MIN_DIGITS}..{@link #MAX_DIGITS}, before any work. */
  static void requireDigits(long digits) {
    if (digits < MIN_DIGITS || digits > MAX_DIGITS) {
      throw new OracleInputException("--digits " + digits + ": the oracle works at " + MIN_DIGITS + ".." + MAX_DIGITS
          + " digits");
    }
  }

  /** Worker threads (the machine this was tuned on has two cores). */
  static final int THREADS = Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors()));

  /** Waits for a phase; an interrupt is reported as an IllegalStateException, with the flag set again. */
  static void awaitDone(Future<?> f) {
    try {
      f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for an evaluation phase", e);
    } catch (ExecutionException e) {
      rethrow(e);
    }
  }

  /** A phase's failure as it was thrown: typed exceptions (GhostUnitsException) and errors unchanged. */
  static void rethrow(ExecutionException e) {
    Throwable cause = e.getCause();
    if (cause instanceof RuntimeException r) {
      throw r;
    }
    if (cause instanceof Error err) {
      throw err;
    }
    throw new IllegalStateException("an evaluation phase failed", cause);
  }

  /** {@link #awaitDone}, for a phase with a result. */
  static <T> T await(Future<T> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for an evaluation phase", e);
    } catch (ExecutionException e) {
      rethrow(e);
      throw new AssertionError("unreachable");
    }
  }
}
