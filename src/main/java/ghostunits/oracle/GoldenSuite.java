package ghostunits.oracle;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import ghostunits.model.Feedback;
import ghostunits.model.Layers;
import ghostunits.model.Mlp;
import ghostunits.model.Model;
import ghostunits.numeric.Backend;
import ghostunits.numeric.DoubleBackend;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.ejml.data.DMatrixRMaj;

/**
 * The golden suite: seeded networks of several depths, Model A and B, TF and FA, each at several
 * betas, and one 784-500-10 Model B network, with certified values; an index.json lists them.
 *
 * <p>The networks are chosen so that a float64 implementation sees exactly the network the oracle
 * sees: weights are multiples of 2^-12, inputs and targets multiples of 2^-8 (short decimals, exact
 * in binary), written as JSON numbers. Model B's Omega is fitted so that the ghosts cancel the
 * feedback at the MLP state (the fixed point of the fast rule, eq. 15, from a random start);
 * it is computed in double and written as the exact decimal expansion of each double, as a string.
 */
public final class GoldenSuite {
  private GoldenSuite() {}

  /** Matrices above this many entries are left out of committed result files (the 500 x 784 dW^1). */
  public static final long MAX_MATRIX_ENTRIES = 100_000;

  /** One network of the suite and the betas it is evaluated at. */
  public record Case(String name, NetworkFile.ModelKind model, Feedback feedback, int[] layers, int[] ghosts,
      boolean explicitGhosts, double init, long seed, List<String> betas, boolean large) {}

  public static List<Case> cases(boolean large) {
    List<Case> c = new ArrayList<>();
    c.add(new Case("ma-tf-3-2", NetworkFile.ModelKind.MA, Feedback.TF, new int[] {3, 2}, new int[0], false, 1.0, 11,
        List.of("0.1", "0.001"), false));
    c.add(new Case("ma-tf-4-3-3-2", NetworkFile.ModelKind.MA, Feedback.TF, new int[] {4, 3, 3, 2}, new int[0], false, 1.0,
        12, List.of("0.1", "0.001", "1e-6", "1e-15"), false));
    // Every W^{k+1} square: the Python example's planted "untransposed feedback" bug runs (and fails).
    c.add(new Case("ma-tf-4-3-3", NetworkFile.ModelKind.MA, Feedback.TF, new int[] {4, 3, 3}, new int[0], false, 1.0, 19,
        List.of("0.01", "0.001"), false));
    c.add(new Case("ma-fa-5-4-3", NetworkFile.ModelKind.MA, Feedback.FA, new int[] {5, 4, 3}, new int[0], false, 1.0, 13,
        List.of("0.01", "1e-6"), false));
    c.add(new Case("ma-tf-4-4-3-3-2", NetworkFile.ModelKind.MA, Feedback.TF, new int[] {4, 4, 3, 3, 2}, new int[0],
        false, 1.0, 14, List.of("0.001"), false));
    c.add(new Case("ma-tf-ghosts-4-3-2", NetworkFile.ModelKind.MA, Feedback.TF, new int[] {4, 3, 2}, new int[0], true,
        1.0, 15, List.of("0.001"), false));
    c.add(new Case("mb-tf-4-5-3", NetworkFile.ModelKind.MB, Feedback.TF, new int[] {4, 5, 3}, new int[] {2}, true, 1.0,
        16, List.of("0.001", "1e-8"), false));
    c.add(new Case("mb-fa-4-4-3-2", NetworkFile.ModelKind.MB, Feedback.FA, new int[] {4, 4, 3, 2}, new int[] {2, 1},
        true, 1.0, 17, List.of("0.001"), false));
    if (large) {
      c.add(new Case("mb-tf-784-500-10", NetworkFile.ModelKind.MB, Feedback.TF, new int[] {784, 500, 10},
          new int[] {10}, true, 0.05, 18, List.of("0.001"), true));
    }
    return c;
  }

  /** Network file name of a case. */
  public static String networkFile(Case c) {
    return c.name() + ".network.json" + (c.large() ? ".gz" : "");
  }

  /**
   * Result file name of a case at a beta: the exact decimal as integer "e" exponent ("1e-3",
   * "25e-4"), so names read well and two betas never share a file.
   */
  public static String resultFile(Case c, String beta) {
    BigDecimal b = new BigDecimal(beta).stripTrailingZeros();
    return c.name() + ".beta-" + b.unscaledValue() + "e" + (-b.scale()) + ".result.json" + (c.large() ? ".gz" : "");
  }

  /** Writes the suite to dir, printing one line per file. */
  public static void write(Path dir, long digits, boolean large, @Nullable Path mnist, PrintWriter log)
      throws IOException {
    Files.createDirectories(dir);
    JsonNodeFactory nf = JsonNodeFactory.withExactBigDecimals(true);
    ObjectNode index = nf.objectNode();
    index.put("format", Schema.SUITE_FORMAT);
    index.put("generator", ResultWriter.GENERATOR + " vectors");
    index.put("digits", digits);
    index.put("max_matrix_entries", MAX_MATRIX_ENTRIES);
    ArrayNode cases = index.putArray("cases");
    for (Case c : cases(large)) {
      NetworkFile built = build(c, mnist);
      Path netPath = dir.resolve(networkFile(c));
      writeJson(built.toJson(c.name()), netPath);
      NetworkFile net = NetworkFile.read(netPath); // read back: what every consumer will see
      ObjectNode entry = cases.addObject();
      entry.put("name", c.name());
      entry.put("network", networkFile(c));
      entry.put("description", net.describe());
      ArrayNode results = entry.putArray("results");
      for (String beta : c.betas()) {
        List<Schema.Field> wanted = new ArrayList<>();
        for (Schema.Field f : Schema.FIELDS) {
          boolean update = f.block().equals("update");
          boolean fa = f.block().equals("feedback_alignment");
          if (!update && !(fa && net.feedback() != Feedback.FA)) {
            wanted.add(f);
          }
        }
        Oracle.Result r = Oracle.evaluate(net, new BigDecimal(beta), null, wanted, digits);
        Path out = dir.resolve(resultFile(c, beta));
        ResultWriter.write(r, out, MAX_MATRIX_ENTRIES);
        ObjectNode re = results.addObject();
        re.put("beta", beta);
        re.put("file", resultFile(c, beta));
        re.put("certified_digits", r.certification().minimumDigits());
        log.printf(Locale.ROOT, "%-44s %-22s beta %-6s certified >= %2d digits  (%.1f s)%n", resultFile(c, beta),
            net.describe(), beta, r.certification().minimumDigits(), r.seconds());
        log.flush();
      }
    }
    writeJson(index, dir.resolve("index.json"));
    log.printf(Locale.ROOT, "wrote %s%n", dir.resolve("index.json"));
    log.flush();
  }

  static void writeJson(ObjectNode node, Path path) throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    mapper.enable(SerializationFeature.INDENT_OUTPUT);
    mapper.enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
    byte[] bytes = mapper.writeValueAsBytes(node);
    try (OutputStream file = Files.newOutputStream(path);
        OutputStream out = path.toString().endsWith(".gz") ? new GZIPOutputStream(file, 1 << 16) : file) {
      out.write(bytes);
      out.write('\n');
    }
  }

  /** The network of a case, deterministic in its seed. */
  public static NetworkFile build(Case c, @Nullable Path mnist) throws IOException {
    Random rng = new Random(c.seed());
    int n = c.layers().length - 1;
    List<BigDecimal[][]> w = new ArrayList<>();
    for (int k = 1; k <= n; k++) {
      w.add(grid(rng, c.layers()[k], c.layers()[k - 1], c.init()));
    }
    List<BigDecimal[][]> b = null;
    if (c.feedback() == Feedback.FA) {
      b = new ArrayList<>();
      for (int k = 1; k < n; k++) {
        b.add(grid(rng, c.layers()[k], c.layers()[k + 1], c.init()));
      }
    }
    BigDecimal[] x;
    BigDecimal[] y;
    if (c.large()) {
      Image img = image(rng, mnist, c.layers()[0]);
      x = img.pixels();
      y = new BigDecimal[c.layers()[n]];
      for (int i = 0; i < y.length; i++) {
        y[i] = i == img.label() ? BigDecimal.ONE : BigDecimal.ZERO;
      }
    } else {
      x = unitGrid(rng, c.layers()[0]);
      y = unitGrid(rng, c.layers()[n]);
    }
    List<BigDecimal[][]> gamma = null;
    List<BigDecimal[][]> omega = null;
    if (c.explicitGhosts()) {
      gamma = new ArrayList<>();
      omega = new ArrayList<>();
      for (int k = 1; k < n; k++) {
        if (c.model() == NetworkFile.ModelKind.MA) {
          // Ghosts on their way to convergence: W^{k+1} and B^k plus a perturbation.
          BigDecimal[][] next = w.get(k);
          gamma.add(plus(next, grid(rng, next.length, next[0].length, 0.1)));
          BigDecimal[][] fb = b != null ? b.get(k - 1) : transpose(next);
          omega.add(plus(fb, grid(rng, fb.length, fb[0].length, 0.1)));
        } else {
          gamma.add(grid(rng, c.ghosts()[k - 1], c.layers()[k], c.init()));
          omega.add(grid(rng, c.layers()[k], c.ghosts()[k - 1], c.init()));
        }
      }
    }
    NetworkFile raw = new NetworkFile(c.name(), null, c.model(), c.feedback(), c.layers().clone(), w, b, gamma, omega, x, y);
    if (c.model() == NetworkFile.ModelKind.MB) {
      return withCancellingOmega(raw);
    }
    return raw;
  }

  /**
   * Model B's fast rule (eq. 15) converges, for the presented example, to the least change of
   * Omega^k that makes the ghosts cancel the feedback at the MLP state:
   * Omega^k = Omega_0 + (b - Omega_0 u) u^T / (u^T u), u = rho(Gamma^k r_hat^k), b = B^k r_hat^{k+1}.
   */
  static NetworkFile withCancellingOmega(NetworkFile raw) {
    Backend<Double, double[], DMatrixRMaj> be = DoubleBackend.INSTANCE;
    Model<Double, double[], DMatrixRMaj> model = Model.paper(be);
    ghostunits.model.Weights<DMatrixRMaj> wts = raw.weights(be);
    Mlp.Forward<double[]> fwd = Mlp.forward(model, wts.w(), raw.x(be));
    int n = raw.depth();
    List<BigDecimal[][]> omega = new ArrayList<>();
    List<BigDecimal[][]> given = raw.omega();
    if (given == null) {
      throw new IllegalStateException("Model B case without Omega");
    }
    Layers<DMatrixRMaj> b = wts.b();
    for (int k = 1; k < n; k++) {
      double[] u = model.rho(be.times(wts.gamma().at(k), fwd.r().at(k)));
      double[] target = be.times(b.at(k), fwd.r().at(k + 1));
      DMatrixRMaj o0 = wts.omega().at(k);
      double[] residual = be.minus(target, be.times(o0, u));
      DMatrixRMaj fitted = be.matPlus(o0, be.matScale(1.0 / be.dot(u, u), be.outer(residual, u)));
      BigDecimal[][] m = new BigDecimal[fitted.numRows][fitted.numCols];
      for (int i = 0; i < m.length; i++) {
        for (int j = 0; j < m[i].length; j++) {
          m[i][j] = new BigDecimal(fitted.get(i, j)); // exact value of the double
        }
      }
      omega.add(m);
    }
    return new NetworkFile(raw.source(), null, raw.model(), raw.feedback(), raw.layers(), raw.w(), raw.b(),
        raw.gamma(), omega, raw.x(), raw.y());
  }

  /** U(-a, a) rounded to a multiple of 2^-12. */
  static BigDecimal[][] grid(Random rng, int rows, int cols, double a) {
    BigDecimal[][] m = new BigDecimal[rows][cols];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        long q = Math.round((2 * rng.nextDouble() - 1) * a * 4096);
        m[i][j] = new BigDecimal(q).divide(new BigDecimal(4096));
      }
    }
    return m;
  }

  /** U(0, 1) rounded to a multiple of 2^-8. */
  static BigDecimal[] unitGrid(Random rng, int n) {
    BigDecimal[] v = new BigDecimal[n];
    for (int i = 0; i < n; i++) {
      v[i] = new BigDecimal(rng.nextInt(257)).divide(new BigDecimal(256));
    }
    return v;
  }

  static BigDecimal[][] plus(BigDecimal[][] a, BigDecimal[][] c) {
    BigDecimal[][] m = new BigDecimal[a.length][a[0].length];
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[0].length; j++) {
        m[i][j] = a[i][j].add(c[i][j]);
      }
    }
    return m;
  }

  static BigDecimal[][] transpose(BigDecimal[][] a) {
    BigDecimal[][] m = new BigDecimal[a[0].length][a.length];
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[0].length; j++) {
        m[j][i] = a[i][j];
      }
    }
    return m;
  }

  /** An input image: pixels / 256 (exact), and its label. */
  record Image(BigDecimal[] pixels, int label) {}

  /** The first MNIST test image if the IDX files are given, else a seeded random image. */
  static Image image(Random rng, @Nullable Path images, int size) throws IOException {
    if (images == null) {
      BigDecimal[] px = new BigDecimal[size];
      for (int i = 0; i < size; i++) {
        px[i] = rng.nextDouble() < 0.8 ? BigDecimal.ZERO : new BigDecimal(rng.nextInt(256)).divide(new BigDecimal(256));
      }
      return new Image(px, rng.nextInt(10));
    }
    byte[] pixels = idx(images, 2051, size);
    Path dir = images.toAbsolutePath().getParent();
    Path labels = (dir == null ? Path.of(".") : dir).resolve("t10k-labels-idx1-ubyte.gz");
    byte[] label = idx(labels, 2049, 1);
    BigDecimal[] px = new BigDecimal[size];
    for (int i = 0; i < size; i++) {
      px[i] = new BigDecimal(pixels[i] & 0xff).divide(new BigDecimal(256));
    }
    return new Image(px, label[0] & 0xff);
  }

  /** The first {@code count} data bytes of an IDX file (gzip), after checking its magic number. */
  static byte[] idx(Path path, int magic, int count) throws IOException {
    try (InputStream raw = Files.newInputStream(path);
        DataInputStream in = new DataInputStream(new GZIPInputStream(raw))) {
      int m = in.readInt();
      if (m != magic) {
        throw new OracleInputException(path + ": IDX magic number " + m + ", expected " + magic);
      }
      int dims = magic & 0xff;
      for (int d = 0; d < dims; d++) {
        in.readInt();
      }
      byte[] data = new byte[count];
      in.readFully(data);
      return data;
    }
  }
}
