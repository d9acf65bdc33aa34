package ghostunits.plasticity;

import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A tally, owned and read by the caller, of the equilibrium solves in which Newton failed and the
 * Euler dynamics settled the phase instead ({@link BatchDynamics#nudgedModelASafe},
 * {@link BatchDynamics#settleOneHiddenLayer}). The fallback gives the equilibrium the phase defines,
 * but it is slow, and a run should say when it needed it: before it was counted, the only cases
 * known were those that had stopped a run, while MA-TF-100 needed it for 443 examples in 137 of its
 * 200 epochs (reports/table1.md). Mutable; not thread-safe.
 */
public final class EulerFallbacks {
  private long count;
  private @Nullable String first;

  /** Counts one solve the dynamics settled; keeps the first reason Newton gave. */
  void record(String reason) {
    count++;
    if (first == null) {
      first = reason;
    }
  }

  /** Solves settled by the dynamics since the last {@link #clear}. */
  public long count() {
    return count;
  }

  /** Why Newton failed in the first of them, or null if none. */
  public @Nullable String firstReason() {
    return first;
  }

  /** Starts a new tally (e.g. per epoch). */
  public void clear() {
    count = 0;
    first = null;
  }
}
