package ghostunits.dynamics;

import ghostunits.numeric.Backend;
import ghostunits.numeric.ScalarField;
import ghostunits.numeric.ShapeMismatchException;
import java.util.ArrayList;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The Jacobian of the field in blocks of the flat layout (block i is s^{i+1} for i < N, then
 * g^1..g^{N-1}). A block is a dense matrix, -I (the hidden layers' and the ghosts' own decay,
 * kept implicit: on a 500-unit layer a dense -I is 250 000 entries), or zero. Immutable.
 */
public final class BlockJacobian<S, V, M> {
  private final Backend<S, V, M> b;
  private final int[] sizes;
  private final int[] offsets;
  private final List<List<@Nullable M>> dense;
  private final boolean[] minusIdentity;

  private BlockJacobian(Backend<S, V, M> b, int[] sizes, List<List<@Nullable M>> dense, boolean[] minusIdentity) {
    this.b = b;
    this.sizes = sizes.clone();
    this.dense = dense;
    this.minusIdentity = minusIdentity.clone();
    this.offsets = new int[sizes.length + 1];
    for (int i = 0; i < sizes.length; i++) {
      offsets[i + 1] = offsets[i] + sizes[i];
    }
  }

  /** Number of block rows (and columns). */
  public int blockCount() {
    return sizes.length;
  }

  /** Size of block i. */
  public int blockSize(int i) {
    return sizes[i];
  }

  /** Start of block i in the flat layout. */
  public int blockOffset(int i) {
    return offsets[i];
  }

  /** Block (i, j) if it is a dense matrix; null if it is zero or (i = j) -I. */
  public @Nullable M block(int i, int j) {
    return dense.get(i).get(j);
  }

  /** Whether block (i, i) is -I. */
  public boolean isMinusIdentity(int i) {
    return minusIdentity[i];
  }

  /** Size of the whole (square) matrix. */
  public int size() {
    return offsets[sizes.length];
  }

  /** J z, block by block. */
  public V times(V z) {
    if (b.size(z) != size()) {
      throw new ShapeMismatchException("BlockJacobian.times: Jacobian of size " + size() + ", vector of size " + b.size(z));
    }
    ScalarField<S> f = b.scalars();
    List<V> parts = new ArrayList<>(sizes.length);
    List<V> zs = new ArrayList<>(sizes.length);
    for (int j = 0; j < sizes.length; j++) {
      zs.add(b.slice(z, offsets[j], sizes[j]));
    }
    for (int i = 0; i < sizes.length; i++) {
      V acc = minusIdentity[i] ? b.scale(f.negate(f.one()), zs.get(i)) : b.zeros(sizes[i]);
      for (int j = 0; j < sizes.length; j++) {
        M m = dense.get(i).get(j);
        if (m != null) {
          acc = b.plus(acc, b.times(m, zs.get(j)));
        }
      }
      parts.add(acc);
    }
    return b.concat(parts);
  }

  /** The matrix with every entry written out. */
  public M dense() {
    ScalarField<S> f = b.scalars();
    int n = size();
    int[] blockOf = new int[n];
    for (int blk = 0; blk < sizes.length; blk++) {
      for (int i = offsets[blk]; i < offsets[blk + 1]; i++) {
        blockOf[i] = blk;
      }
    }
    S zero = f.zero();
    S minusOne = f.negate(f.one());
    return b.matrix(n, n, (i, j) -> {
      int bi = blockOf[i];
      int bj = blockOf[j];
      M m = dense.get(bi).get(bj);
      if (m != null) {
        return b.get(m, i - offsets[bi], j - offsets[bj]);
      }
      return bi == bj && minusIdentity[bi] && i == j ? minusOne : zero;
    });
  }

  /** Collects the blocks; each block is set at most once. */
  static final class Builder<S, V, M> {
    private final Backend<S, V, M> b;
    private final int[] sizes;
    private final List<List<@Nullable M>> dense = new ArrayList<>();
    private final boolean[] minusIdentity;

    Builder(Backend<S, V, M> b, int[] sizes) {
      this.b = b;
      this.sizes = sizes.clone();
      this.minusIdentity = new boolean[sizes.length];
      for (int i = 0; i < sizes.length; i++) {
        List<@Nullable M> row = new ArrayList<>();
        for (int j = 0; j < sizes.length; j++) {
          row.add(null);
        }
        dense.add(row);
      }
    }

    void put(int i, int j, M m) {
      if (b.rows(m) != sizes[i] || b.cols(m) != sizes[j] || dense.get(i).get(j) != null || (i == j && minusIdentity[i])) {
        throw new ShapeMismatchException("Jacobian block (" + i + ", " + j + "): " + b.rows(m) + "x" + b.cols(m)
            + " where " + sizes[i] + "x" + sizes[j] + " is expected, or set twice");
      }
      dense.get(i).set(j, m);
    }

    void minusIdentity(int i) {
      if (dense.get(i).get(i) != null) {
        throw new ShapeMismatchException("Jacobian block (" + i + ", " + i + ") set twice");
      }
      minusIdentity[i] = true;
    }

    BlockJacobian<S, V, M> build() {
      return new BlockJacobian<>(b, sizes, dense, minusIdentity);
    }
  }
}
