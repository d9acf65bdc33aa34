package ghostunits.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * Values indexed by layer number k, as in the paper: W^1..W^N, s^1..s^N, r^0..r^N, B^1..B^{N-1}.
 * {@code at(k)} takes the paper's index, so code reads like the equations and an off-by-one is
 * an exception naming the index, not a silent shift. Immutable.
 */
public final class Layers<T> implements Iterable<T> {
  private final int first;
  private final List<T> items;

  private Layers(int first, List<T> items) {
    this.first = first;
    this.items = Collections.unmodifiableList(new ArrayList<>(items));
  }

  /** Layers first, first+1, ..., first + items.size() - 1. */
  public static <T> Layers<T> of(int first, List<T> items) {
    return new Layers<>(first, items);
  }

  /** Layers first..last (empty when last < first), each made by {@code make}. */
  public static <T> Layers<T> build(int first, int last, IntFunction<T> make) {
    List<T> items = new ArrayList<>();
    for (int k = first; k <= last; k++) {
      items.add(make.apply(k));
    }
    return new Layers<>(first, items);
  }

  public T at(int k) {
    if (k < first || k > last()) {
      throw new IndexOutOfBoundsException(
          "layer " + k + " is outside " + first + ".." + last());
    }
    return items.get(k - first);
  }

  public int first() {
    return first;
  }

  public int last() {
    return first + items.size() - 1;
  }

  public int count() {
    return items.size();
  }

  public <U> Layers<U> map(Function<T, U> f) {
    List<U> out = new ArrayList<>(items.size());
    for (T t : items) {
      out.add(f.apply(t));
    }
    return new Layers<>(first, out);
  }

  /** A copy with layer k replaced. */
  public Layers<T> with(int k, T value) {
    at(k);
    List<T> copy = new ArrayList<>(items);
    copy.set(k - first, value);
    return new Layers<>(first, copy);
  }

  public List<T> asList() {
    return items;
  }

  @Override
  public Iterator<T> iterator() {
    return items.iterator();
  }
}
