package ghostunits.plasticity;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import ghostunits.model.Feedback;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.ejml.data.DMatrixRMaj;

/**
 * A training run's weights after a whole number of epochs, as JSON (Jackson), gzipped when the
 * file name ends in .gz. Doubles are written
 * by Jackson in their shortest round-trip decimal form, so loading gives back the same bits: a
 * resumed run continues exactly where the saved one stopped (the data order of an epoch depends
 * only on the seed and the epoch number). {@code path} is how the run learned: the ghost network's
 * equilibrium path ({@code FAST}, {@code FAITHFUL}) or, for {@code train --backprop}, the baseline
 * ({@code BACKPROP_MSE}, {@code BACKPROP_BCE}, ending in {@code _FA} for feedback alignment); a run
 * resumes only from a checkpoint of its own kind.
 * {@code trainExamples} and {@code testExamples} are how many images the run trained and tested on
 * ({@code --train-limit}, {@code --test-limit}); checkpoints written before they were recorded
 * (all of them full-data runs) leave them null. {@code initialWeightsSha256} is the
 * {@link DenseNetwork#fingerprint} of the weights the run started from, so that a resume or
 * {@code steps} can tell, wherever the file lies, whether a config and seed give that start;
 * checkpoints written before it was recorded, and the runs resumed from them, leave it null (it is
 * never filled in after the fact: nothing at a resume shows which weights the run started from).
 */
public record Checkpoint(
    String config,
    long seed,
    int epochsDone,
    String path,
    @Nullable Integer trainExamples,
    @Nullable Integer testExamples,
    @Nullable String initialWeightsSha256,
    boolean modelA,
    Feedback feedback,
    int[] widths,
    int[] ghosts,
    List<Matrix> w,
    List<Matrix> fixedB,
    List<Matrix> gamma,
    List<Matrix> omega) {

  /** A matrix as rows, cols and its row-major entries. */
  public record Matrix(int rows, int cols, double[] data) {
    static Matrix of(DMatrixRMaj m) {
      return new Matrix(m.numRows, m.numCols, m.data.clone());
    }

    DMatrixRMaj toEjml() {
      if (data.length != rows * cols) {
        throw new TrainingException("checkpoint matrix " + rows + "x" + cols + " holds " + data.length + " values");
      }
      return DMatrixRMaj.wrap(rows, cols, data.clone());
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  public static Checkpoint of(String config, long seed, int epochsDone, String path, int trainExamples,
      int testExamples, @Nullable String initialWeightsSha256, DenseNetwork net) {
    List<Matrix> w = new ArrayList<>();
    for (int k = 1; k <= net.depth(); k++) {
      w.add(Matrix.of(net.w(k)));
    }
    List<Matrix> b = new ArrayList<>();
    List<Matrix> gamma = new ArrayList<>();
    List<Matrix> omega = new ArrayList<>();
    for (int k = 1; k < net.depth(); k++) {
      if (net.feedback() == Feedback.FA) {
        b.add(Matrix.of(net.b(k)));
      }
      if (!net.convergedGhosts()) {
        gamma.add(Matrix.of(net.gamma(k)));
        omega.add(Matrix.of(net.omega(k)));
      }
    }
    return new Checkpoint(config, seed, epochsDone, path, trainExamples, testExamples, initialWeightsSha256,
        net.modelA(), net.feedback(), net.widths(), net.ghostCounts(), w, b, gamma, omega);
  }

  public DenseNetwork network() {
    return DenseNetwork.of(modelA, feedback, widths, ghosts, ejml(w), ejml(fixedB), ejml(gamma), ejml(omega));
  }

  private static DMatrixRMaj[] ejml(List<Matrix> ms) {
    DMatrixRMaj[] out = new DMatrixRMaj[ms.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = ms.get(i).toEjml();
    }
    return out;
  }

  /** Written to a temporary file first, then moved: a crash never leaves half a checkpoint. */
  public void save(Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      try (OutputStream out = gzipped(file) ? new GZIPOutputStream(Files.newOutputStream(tmp))
          : Files.newOutputStream(tmp)) {
        JSON.writeValue(out, this);
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new TrainingException("cannot write checkpoint " + file + ": " + e.getMessage(), e);
    }
  }

  /** A name ending in .gz is gzip-compressed JSON (a 784-500-10 network: ~8 MB of JSON, ~3.5 MB gzipped). */
  private static boolean gzipped(Path file) {
    return file.toString().endsWith(".gz");
  }

  /**
   * Refuses, naming both sides, a checkpoint (read from {@code file}) of another config or seed,
   * or of another way of learning when {@code method} is given.
   */
  public void requireMatch(Path file, String expectedConfig, long expectedSeed, @Nullable String method) {
    if (!config.equals(expectedConfig) || seed != expectedSeed || (method != null && !path.equals(method))) {
      throw new TrainingException("checkpoint " + file + " is of config " + config + ", seed " + seed + ", path " + path
          + "; this run is " + expectedConfig + ", seed " + expectedSeed + (method == null ? "" : ", path " + method));
    }
  }

  /**
   * Refuses a checkpoint (read from {@code file}) that trained or tested on other images than this
   * run would: its curve would mix two data sets. A checkpoint that does not record them is accepted.
   */
  public void requireSameData(Path file, int expectedTrain, int expectedTest) {
    Integer tr = trainExamples;
    Integer te = testExamples;
    if ((tr != null && tr != expectedTrain) || (te != null && te != expectedTest)) {
      throw new TrainingException("checkpoint " + file + " trained on " + tr + " and tested on " + te
          + " images; this run would train on " + expectedTrain + " and test on " + expectedTest
          + " (--train-limit, --test-limit)");
    }
  }

  /**
   * Refuses a checkpoint (read from {@code file}) whose run started from other weights than
   * {@code initial}, which {@code givenBy} names (a config and seed). A checkpoint that does not
   * record its start is accepted: say so where it matters ({@link #recordsItsStart}).
   */
  public void requireStartedFrom(Path file, DenseNetwork initial, String givenBy) {
    String recorded = initialWeightsSha256;
    if (recorded == null) {
      return;
    }
    String expected = initial.fingerprint();
    if (!recorded.equals(expected)) {
      throw new TrainingException("checkpoint " + file + " started from other initial weights (SHA-256 " + recorded
          + ") than " + givenBy + " gives (" + expected + "): its config's widths, init, feedback or ghosts differ from"
          + " the given one's, or another build drew them otherwise");
    }
  }

  /** Whether {@link #requireStartedFrom} can check anything (checkpoints written before it was recorded cannot). */
  public boolean recordsItsStart() {
    return initialWeightsSha256 != null;
  }

  public static Checkpoint load(Path file) {
    try (InputStream in = gzipped(file) ? new GZIPInputStream(Files.newInputStream(file))
        : Files.newInputStream(file)) {
      return JSON.readValue(in, Checkpoint.class);
    } catch (IOException e) {
      throw new TrainingException("cannot read checkpoint " + file + ": " + e.getMessage(), e);
    }
  }
}
