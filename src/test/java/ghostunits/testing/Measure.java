package ghostunits.testing;

import ghostunits.model.Layers;
import ghostunits.numeric.Backend;

/** Error measurements shared by the properties. */
public final class Measure {
  private Measure() {}

  /** max_i |a_i - b_i| as a double. */
  public static <S, V, M> double maxAbsDiff(Backend<S, V, M> b, V a, V c) {
    return b.scalars().toDouble(b.normMax(b.minus(a, c)));
  }

  /** Largest max-norm difference over all layers. */
  public static <S, V, M> double maxAbsDiff(Backend<S, V, M> b, Layers<V> a, Layers<V> c) {
    double m = 0;
    for (int k = a.first(); k <= a.last(); k++) {
      m = Math.max(m, maxAbsDiff(b, a.at(k), c.at(k)));
    }
    return m;
  }
}
