package ghostunits.cli;

import ghostunits.theory.Sweep;
import java.awt.BasicStroke;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * One theorem's sweeps as a log-log PNG (XChart): log10 of the error of each layer against log10 beta, one series per
 * layer and precision (double: circles, apfloat: diamonds), and a dashed guide of the claimed order
 * through the first apfloat point of layer 1. A slope equal to the guide's is the claimed order; a
 * flat run at the bottom of the double series is the rounding floor (FLOOR).
 */
final class SweepPlot {
  private SweepPlot() {}

  static void write(Path png, String title, int claimedOrder, List<Sweep> sweeps) {
    System.setProperty("java.awt.headless", "true");
    XYChart chart = new XYChartBuilder().width(960).height(560).title(title).xAxisTitle("log10 beta")
        .yAxisTitle("log10 " + sweeps.get(0).quantity()).build();
    // 40 decades of apfloat errors: sparse ticks, so the labels do not overlap.
    // log10 on linear axes rather than log axes: up to 40 decades stay readable, and the slope
    // read off the plot is the observed order itself.
    XYStyler style = chart.getStyler();
    style.setLegendPosition(Styler.LegendPosition.OutsideE);
    style.setXAxisDecimalPattern("0");
    style.setYAxisDecimalPattern("0");
    Sweep guideFrom = sweeps.get(sweeps.size() - 1);
    for (Sweep s : sweeps) {
      boolean isDouble = s.precision().startsWith("double");
      for (int k = 1; k <= s.layers(); k++) {
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (int i = 0; i < s.betas().length; i++) {
          // A zero error (exact) has no place on a log axis; it is left out, not faked.
          if (s.layer(k)[i] > 0) {
            x.add(Math.log10(s.betas()[i]));
            y.add(Math.log10(s.layer(k)[i]));
          }
        }
        if (x.isEmpty()) {
          continue;
        }
        XYSeries series = chart.addSeries(String.format(Locale.ROOT, "layer %d, %s", k, s.precision()), x, y);
        series.setMarker(isDouble ? SeriesMarkers.CIRCLE : SeriesMarkers.DIAMOND);
      }
    }
    double b0 = guideFrom.betas()[0];
    double e0 = guideFrom.layer(1)[0];
    if (e0 > 0) {
      double[] bx = new double[guideFrom.betas().length];
      double[] gy = new double[bx.length];
      for (int i = 0; i < bx.length; i++) {
        bx[i] = Math.log10(guideFrom.betas()[i]);
        gy[i] = Math.log10(e0) + claimedOrder * (bx[i] - Math.log10(b0));
      }
      String label = claimedOrder == 0 ? "no decay: a bias (guide)" : "claimed order " + claimedOrder + " (guide)";
      XYSeries guide = chart.addSeries(label, bx, gy);
      guide.setMarker(SeriesMarkers.NONE);
      guide.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
          new float[] {6f, 4f}, 0f));
    }
    try {
      Path parent = png.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write plot " + png + ": " + e.getMessage(), e);
    }
  }
}
