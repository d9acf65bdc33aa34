package ghostunits.oracle;

import ghostunits.numeric.ApfloatBackend;
import ghostunits.numeric.ApfloatMatrix;
import ghostunits.numeric.GhostUnitsException;
import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apfloat.Apfloat;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The reference: a network evaluated at p digits and, concurrently, at p + {@link #GUARD} digits,
 * with the certificate that compares the two ({@link Certification}).
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
    if (digits < MIN_DIGITS || digits > MAX_DIGITS) {
      throw new OracleInputException("--digits " + digits + ": the oracle works at " + MIN_DIGITS + ".." + MAX_DIGITS
          + " digits");
    }
    long started = System.nanoTime();
    ApfloatBackend working = new ApfloatBackend(digits);
    ApfloatBackend reference = new ApfloatBackend(digits + GUARD);
    ExecutorService pool = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "oracle-reference");
      t.setDaemon(true);
      return t;
    });
    try {
      Future<Evaluation<Apfloat, Apfloat[], ApfloatMatrix>> ref =
          pool.submit(() -> Evaluation.run(reference, network, beta, etaW, wanted));
      Evaluation<Apfloat, Apfloat[], ApfloatMatrix> values;
      try {
        values = Evaluation.run(working, network, beta, etaW, wanted);
      } catch (RuntimeException e) {
        ref.cancel(true);
        throw e;
      }
      Evaluation<Apfloat, Apfloat[], ApfloatMatrix> refValues = await(ref);
      Certification<Apfloat> cert = Certification.of(values, refValues, reference, digits, digits + GUARD);
      return new Result(network, beta, etaW, digits, values, cert, (System.nanoTime() - started) / 1e9);
    } finally {
      pool.shutdownNow();
    }
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the reference evaluation", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof GhostUnitsException g) {
        throw g;
      }
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException("the reference evaluation failed", cause);
    }
  }
}
