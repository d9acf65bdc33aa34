package ghostunits.dynamics;

/**
 * What the network is shown: input x (clamped as the rates r^0), target y, and the nudging
 * strength beta (0: free phase; > 0: weakly clamped; < 0: the mirror phase of symmetric nudging).
 */
public record Stimulus<S, V>(V x, V y, S beta) {
  public Stimulus<S, V> withBeta(S newBeta) {
    return new Stimulus<>(x, y, newBeta);
  }
}
