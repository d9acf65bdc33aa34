package ghostunits.plasticity;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The per-epoch metrics of a run: appended to a CSV, plotted to PNG (XChart). */
public final class Curves {
  /**
   * The header of the files written before the fallback count was recorded (runs up to 2026-12-03);
   * still read, their rows' counts {@link Row#NOT_RECORDED}.
   */
  public static final String HEADER_WITHOUT_FALLBACKS =
      "epoch,train_accuracy,train_mse,test_accuracy,test_mse,epoch_seconds";

  public static final String HEADER = HEADER_WITHOUT_FALLBACKS + ",newton_fallbacks";

  /**
   * One epoch's row. Accuracies in %, mse = mean of 1/2 |r^N - y|^2 over the examples;
   * {@code newtonFallbacks}: the equilibrium solves of the epoch in which Newton failed and the Euler
   * dynamics settled the phase ({@link EulerFallbacks}), or {@link #NOT_RECORDED} for an epoch trained
   * before the count was kept (written as an empty field: unknown, not zero).
   */
  public record Row(int epoch, double trainAccuracy, double trainMse, double testAccuracy, double testMse,
      double seconds, long newtonFallbacks) {
    /** The fallback count of an epoch trained before it was recorded. */
    public static final long NOT_RECORDED = -1;

    public Row {
      if (newtonFallbacks < NOT_RECORDED) {
        throw new IllegalArgumentException("epoch " + epoch + ": newtonFallbacks " + newtonFallbacks
            + " is negative (NOT_RECORDED is " + NOT_RECORDED + ")");
      }
    }

    /** A row whose fallback count was not recorded (an old metrics file's, or a test's). */
    public Row(int epoch, double trainAccuracy, double trainMse, double testAccuracy, double testMse, double seconds) {
      this(epoch, trainAccuracy, trainMse, testAccuracy, testMse, seconds, NOT_RECORDED);
    }

    String csv() {
      return String.format(Locale.ROOT, "%d,%.4f,%.6f,%.4f,%.6f,%.1f,%s", epoch, trainAccuracy, trainMse, testAccuracy,
          testMse, seconds, newtonFallbacks == NOT_RECORDED ? "" : Long.toString(newtonFallbacks));
    }
  }

  private Curves() {}

  /**
   * The rows of a metrics file, in file order; none when the file does not exist. Reads files with
   * {@link #HEADER} (seven fields, the last a count or empty) and older ones with
   * {@link #HEADER_WITHOUT_FALLBACKS} (six). Refuses any other first line, a row with the wrong
   * number of fields, a field that is not a number, and a negative count.
   */
  public static List<Row> read(Path csv) {
    List<Row> rows = new ArrayList<>();
    if (!Files.exists(csv)) {
      return rows;
    }
    try {
      List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
      boolean counted = !lines.isEmpty() && lines.get(0).equals(HEADER);
      if (!counted && (lines.isEmpty() || !lines.get(0).equals(HEADER_WITHOUT_FALLBACKS))) {
        throw new TrainingException("metrics file " + csv + " does not start with the header " + HEADER
            + " (or, written before 2026-12-03, " + HEADER_WITHOUT_FALLBACKS + ")"
            + (lines.isEmpty() ? " (it is empty)" : " (line 1 is \"" + lines.get(0) + "\")"));
      }
      String header = lines.get(0);
      int fields = counted ? 7 : 6;
      for (int i = 1; i < lines.size(); i++) {
        String[] f = lines.get(i).split(",", -1);
        if (f.length != fields) {
          throw new TrainingException("metrics file " + csv + " line " + (i + 1) + " has " + f.length
              + " fields, expected " + fields + " (" + header + ")");
        }
        boolean recorded = counted && !f[6].isEmpty();
        long fallbacks = recorded ? Long.parseLong(f[6]) : Row.NOT_RECORDED;
        if (recorded && fallbacks < 0) {
          throw new TrainingException("metrics file " + csv + " line " + (i + 1) + " has newton_fallbacks "
              + fallbacks + ": a count is not negative (an empty field means not recorded)");
        }
        rows.add(new Row(Integer.parseInt(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
            Double.parseDouble(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5]), fallbacks));
      }
    } catch (IOException | NumberFormatException e) {
      throw new TrainingException("cannot read metrics file " + csv + ": " + e.getMessage(), e);
    }
    return rows;
  }

  /**
   * Refuses rows that are not exactly epochs 1, 2, ..., {@code done} in order: a resumed run's
   * curve must have no gap and no repeat.
   */
  public static void requireEpochs(Path csv, List<Row> rows, int done) {
    for (int i = 0; i < rows.size(); i++) {
      if (rows.get(i).epoch() != i + 1) {
        throw new TrainingException("metrics file " + csv + " row " + (i + 1) + " is of epoch " + rows.get(i).epoch()
            + ", expected epoch " + (i + 1) + ": its curve would have a gap or a repeat; restore the file, or start"
            + " anew with --overwrite");
      }
    }
    if (rows.size() != done) {
      int n = rows.size();
      throw new TrainingException("metrics file " + csv + " has " + (n == 0 ? "no row" : "rows for epochs 1-" + n)
          + " but the checkpoint is after epoch " + done + ": the curve would lose "
          + (n + 1 == done ? "epoch " + done : "epochs " + (n + 1) + "-" + done)
          + "; restore the file, or start anew with --overwrite");
    }
  }

  /** Written to a temporary file first, then moved: a crash never leaves half a metrics file. */
  public static void write(Path csv, List<Row> rows) {
    StringBuilder sb = new StringBuilder(HEADER).append('\n');
    for (Row r : rows) {
      sb.append(r.csv()).append('\n');
    }
    try {
      Path tmp = csv.resolveSibling(csv.getFileName() + ".tmp");
      Files.writeString(tmp, sb.toString(), StandardCharsets.UTF_8);
      Files.move(tmp, csv, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new TrainingException("cannot write metrics file " + csv + ": " + e.getMessage(), e);
    }
  }

  /**
   * Several runs on the same axes, train accuracy (left) and test accuracy (right), one series per
   * run named by its label: for reading a Table 1 curve against its baselines.
   */
  public static void compare(Path png, String title, java.util.Map<String, List<Row>> runs) {
    XYChart train = new XYChartBuilder().width(640).height(420).title(title + ": train accuracy")
        .xAxisTitle("epoch").yAxisTitle("accuracy (%)").build();
    XYChart test = new XYChartBuilder().width(640).height(420).title(title + ": test accuracy")
        .xAxisTitle("epoch").yAxisTitle("accuracy (%)").build();
    for (java.util.Map.Entry<String, List<Row>> run : runs.entrySet()) {
      List<Row> rows = run.getValue();
      if (rows.isEmpty()) {
        throw new TrainingException("run " + run.getKey() + " has no epoch to plot");
      }
      double[] ep = new double[rows.size()];
      double[] tr = new double[rows.size()];
      double[] te = new double[rows.size()];
      for (int i = 0; i < rows.size(); i++) {
        ep[i] = rows.get(i).epoch();
        tr[i] = rows.get(i).trainAccuracy();
        te[i] = rows.get(i).testAccuracy();
      }
      train.addSeries(run.getKey(), ep, tr).setMarker(SeriesMarkers.NONE);
      test.addSeries(run.getKey(), ep, te).setMarker(SeriesMarkers.NONE);
    }
    save(png, List.of(train, test));
  }

  private static void save(Path png, List<XYChart> charts) {
    System.setProperty("java.awt.headless", "true");
    try {
      BitmapEncoder.saveBitmap(charts, 1, charts.size(), png.toString(), BitmapEncoder.BitmapFormat.PNG);
    } catch (IOException e) {
      throw new TrainingException("cannot write plot " + png + ": " + e.getMessage(), e);
    }
  }

  /** Accuracy (left) and mse curves side by side, one PNG. */
  public static void plot(Path png, String title, List<Row> rows) {
    if (rows.isEmpty()) {
      return;
    }
    double[] ep = new double[rows.size()];
    double[] trA = new double[rows.size()];
    double[] teA = new double[rows.size()];
    double[] trM = new double[rows.size()];
    double[] teM = new double[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      ep[i] = r.epoch();
      trA[i] = r.trainAccuracy();
      teA[i] = r.testAccuracy();
      trM[i] = r.trainMse();
      teM[i] = r.testMse();
    }
    XYChart acc = new XYChartBuilder().width(640).height(420).title(title + ": accuracy")
        .xAxisTitle("epoch").yAxisTitle("accuracy (%)").build();
    acc.addSeries("train", ep, trA).setMarker(SeriesMarkers.CIRCLE);
    acc.addSeries("test", ep, teA).setMarker(SeriesMarkers.DIAMOND);
    XYChart mse = new XYChartBuilder().width(640).height(420).title(title + ": mean 1/2|r-y|^2")
        .xAxisTitle("epoch").yAxisTitle("mse").build();
    mse.addSeries("train", ep, trM).setMarker(SeriesMarkers.CIRCLE);
    mse.addSeries("test", ep, teM).setMarker(SeriesMarkers.DIAMOND);
    save(png, List.of(acc, mse));
  }
}
