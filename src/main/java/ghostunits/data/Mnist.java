package ghostunits.data;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;

/**
 * The four original MNIST IDX files (gzipped), checked before use: the md5 sum of each file
 * against the published one, the IDX magic numbers (2051 images, 2049 labels), the counts and the
 * 28x28 size. Nothing is ever downloaded.
 */
public final class Mnist {
  /** Where the data is read from unless told otherwise: the project's shared data folder. */
  public static final Path DEFAULT_DIR = Paths.get("..", "shared", "data", "mnist");

  /** Environment variable that overrides {@link #DEFAULT_DIR}. */
  public static final String DIR_VARIABLE = "GHOST_UNITS_MNIST";

  /** The paper trains on the first 55,000 training images (the last 5,000 are validation). */
  public static final int PAPER_TRAIN_COUNT = 55_000;

  static final int IMAGE_MAGIC = 2051;
  static final int LABEL_MAGIC = 2049;
  static final int SIDE = 28;

  /** One of the four files, with its published md5 sum and item count. */
  public enum File {
    TRAIN_IMAGES("train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873", 60_000),
    TRAIN_LABELS("train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432", 60_000),
    TEST_IMAGES("t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3", 10_000),
    TEST_LABELS("t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c", 10_000);

    public final String fileName;
    public final String md5;
    public final int count;

    File(String fileName, String md5, int count) {
      this.fileName = fileName;
      this.md5 = md5;
      this.count = count;
    }
  }

  /** Images as rows of 784 values in [0, 1] (pixel / 255), labels 0..9. */
  public record Split(double[][] images, int[] labels) {
    public int size() {
      return labels.length;
    }

    /** The first n examples. */
    public Split first(int n) {
      if (n < 0 || n > labels.length) {
        throw new IllegalArgumentException("asked for the first " + n + " of " + labels.length + " examples");
      }
      double[][] im = new double[n][];
      System.arraycopy(images, 0, im, 0, n);
      int[] lb = new int[n];
      System.arraycopy(labels, 0, lb, 0, n);
      return new Split(im, lb);
    }

    /** One-hot target of example i. */
    public double[] oneHot(int i) {
      double[] y = new double[10];
      y[labels[i]] = 1.0;
      return y;
    }
  }

  private final Path dir;

  private Mnist(Path dir) {
    this.dir = dir;
  }

  /** The data folder: $GHOST_UNITS_MNIST if set, else ../shared/data/mnist. */
  public static Path defaultDir() {
    String env = System.getenv(DIR_VARIABLE);
    return env == null || env.isEmpty() ? DEFAULT_DIR : Paths.get(env);
  }

  /** Opens a data folder after checking that all four files are there with their md5 sums. */
  public static Mnist open(Path dir) {
    Mnist m = new Mnist(dir);
    for (File f : File.values()) {
      m.checkMd5(f);
    }
    return m;
  }

  /** A folder whose md5 sums are not checked (for tests of the IDX checks on hand-made files). */
  static Mnist openUnchecked(Path dir) {
    return new Mnist(dir);
  }

  public Path dir() {
    return dir;
  }

  private Path path(File f) {
    Path p = dir.resolve(f.fileName);
    if (!Files.isRegularFile(p)) {
      throw new DataException("MNIST file " + p.toAbsolutePath().normalize() + " is missing (set "
          + DIR_VARIABLE + " or --mnist to the folder holding the four IDX .gz files)");
    }
    return p;
  }

  void checkMd5(File f) {
    Path p = path(f);
    String actual;
    try {
      MessageDigest md = MessageDigest.getInstance("MD5");
      actual = HexFormat.of().formatHex(md.digest(Files.readAllBytes(p)));
    } catch (IOException e) {
      throw new DataException("cannot read MNIST file " + p + ": " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no MD5", e);
    }
    if (!actual.equals(f.md5)) {
      throw new DataException("MNIST file " + p + " is corrupt or not the original: md5 " + actual
          + ", expected " + f.md5);
    }
  }

  /** The paper's training set: the first 55,000 training images. */
  public Split paperTrain() {
    return train().first(PAPER_TRAIN_COUNT);
  }

  public Split train() {
    return new Split(images(File.TRAIN_IMAGES), labels(File.TRAIN_LABELS));
  }

  public Split test() {
    return new Split(images(File.TEST_IMAGES), labels(File.TEST_LABELS));
  }

  double[][] images(File f) {
    Path p = path(f);
    try (DataInputStream in = new DataInputStream(new GZIPInputStream(Files.newInputStream(p), 1 << 16))) {
      expect(p, "magic number", in.readInt(), IMAGE_MAGIC);
      expect(p, "image count", in.readInt(), f.count);
      expect(p, "rows", in.readInt(), SIDE);
      expect(p, "columns", in.readInt(), SIDE);
      byte[] buf = new byte[SIDE * SIDE];
      double[][] images = new double[f.count][];
      for (int i = 0; i < f.count; i++) {
        in.readFully(buf);
        double[] row = new double[buf.length];
        for (int j = 0; j < buf.length; j++) {
          row[j] = (buf[j] & 0xff) / 255.0;
        }
        images[i] = row;
      }
      expectEnd(p, in);
      return images;
    } catch (EOFException e) {
      throw new DataException("MNIST file " + p + " ends early: it is truncated", e);
    } catch (IOException e) {
      throw new DataException("cannot read MNIST file " + p + ": " + e.getMessage(), e);
    }
  }

  int[] labels(File f) {
    Path p = path(f);
    try (DataInputStream in = new DataInputStream(new GZIPInputStream(Files.newInputStream(p), 1 << 16))) {
      expect(p, "magic number", in.readInt(), LABEL_MAGIC);
      expect(p, "label count", in.readInt(), f.count);
      int[] labels = new int[f.count];
      for (int i = 0; i < f.count; i++) {
        int v = in.readUnsignedByte();
        if (v > 9) {
          throw new DataException("MNIST file " + p + ": label " + i + " is " + v + ", not a digit 0..9");
        }
        labels[i] = v;
      }
      expectEnd(p, in);
      return labels;
    } catch (EOFException e) {
      throw new DataException("MNIST file " + p + " ends early: it is truncated", e);
    } catch (IOException e) {
      throw new DataException("cannot read MNIST file " + p + ": " + e.getMessage(), e);
    }
  }

  private static void expect(Path p, String what, int actual, int expected) {
    if (actual != expected) {
      throw new DataException("MNIST file " + p + ": " + what + " is " + actual + ", expected " + expected);
    }
  }

  private static void expectEnd(Path p, InputStream in) throws IOException {
    if (in.read() != -1) {
      throw new DataException("MNIST file " + p + " has bytes after its last item");
    }
  }
}
