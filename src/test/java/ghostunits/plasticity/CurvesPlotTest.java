package ghostunits.plasticity;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PNGs: two 640 x 420 panels side by side, and each metrics column drawn in its own panel.
 * Pixel positions depend on XChart's layout, so the test changes one column at a time and checks
 * which half of the image changes (a column wired to the wrong panel, or not drawn, fails).
 */
class CurvesPlotTest {
  private static final List<Curves.Row> ROWS = List.of(new Curves.Row(1, 80, 0.20, 81, 0.19, 5),
      new Curves.Row(2, 85, 0.15, 84, 0.16, 5), new Curves.Row(3, 88, 0.12, 86, 0.14, 5));

  private static List<Curves.Row> changedAtEpoch2(UnaryOperator<Curves.Row> change) {
    return List.of(ROWS.get(0), change.apply(ROWS.get(1)), ROWS.get(2));
  }

  /** Which halves of b differ from a: [left, right]. */
  private static boolean[] changedHalves(BufferedImage a, BufferedImage b) {
    assertThat(b.getWidth()).isEqualTo(a.getWidth());
    assertThat(b.getHeight()).isEqualTo(a.getHeight());
    boolean[] changed = new boolean[2];
    for (int x = 0; x < a.getWidth(); x++) {
      for (int y = 0; y < a.getHeight(); y++) {
        if (a.getRGB(x, y) != b.getRGB(x, y)) {
          changed[x < a.getWidth() / 2 ? 0 : 1] = true;
        }
      }
    }
    return changed;
  }

  private static BufferedImage plot(Path dir, String name, List<Curves.Row> rows) throws IOException {
    Path png = dir.resolve(name + ".png");
    Curves.plot(png, "run", rows);
    return ImageIO.read(png.toFile());
  }

  private static BufferedImage compare(Path dir, String name, List<Curves.Row> first, List<Curves.Row> second)
      throws IOException {
    Path png = dir.resolve(name + ".png");
    Map<String, List<Curves.Row>> runs = new LinkedHashMap<>();
    runs.put("first", first);
    runs.put("second", second);
    Curves.compare(png, "runs", runs);
    return ImageIO.read(png.toFile());
  }

  @Test
  void plotDrawsAccuracyLeftAndMseRight(@TempDir Path dir) throws IOException {
    BufferedImage base = plot(dir, "base", ROWS);
    assertThat(base.getWidth()).isEqualTo(1280);
    assertThat(base.getHeight()).isEqualTo(420);
    assertThat(changedHalves(base, plot(dir, "same", ROWS))).containsExactly(false, false);
    assertThat(changedHalves(base, plot(dir, "trainAcc", changedAtEpoch2(
        r -> new Curves.Row(r.epoch(), 70, r.trainMse(), r.testAccuracy(), r.testMse(), r.seconds())))))
        .containsExactly(true, false);
    assertThat(changedHalves(base, plot(dir, "testAcc", changedAtEpoch2(
        r -> new Curves.Row(r.epoch(), r.trainAccuracy(), r.trainMse(), 70, r.testMse(), r.seconds())))))
        .containsExactly(true, false);
    assertThat(changedHalves(base, plot(dir, "trainMse", changedAtEpoch2(
        r -> new Curves.Row(r.epoch(), r.trainAccuracy(), 0.3, r.testAccuracy(), r.testMse(), r.seconds())))))
        .containsExactly(false, true);
    assertThat(changedHalves(base, plot(dir, "testMse", changedAtEpoch2(
        r -> new Curves.Row(r.epoch(), r.trainAccuracy(), r.trainMse(), r.testAccuracy(), 0.3, r.seconds())))))
        .containsExactly(false, true);
    // The epoch time is not plotted.
    assertThat(changedHalves(base, plot(dir, "seconds", changedAtEpoch2(
        r -> new Curves.Row(r.epoch(), r.trainAccuracy(), r.trainMse(), r.testAccuracy(), r.testMse(), 99)))))
        .containsExactly(false, false);
  }

  @Test
  void compareDrawsTrainAccuracyLeftAndTestAccuracyRightForEveryRun(@TempDir Path dir) throws IOException {
    BufferedImage base = compare(dir, "base", ROWS, ROWS);
    assertThat(base.getWidth()).isEqualTo(1280);
    assertThat(base.getHeight()).isEqualTo(420);
    UnaryOperator<Curves.Row> train = r -> new Curves.Row(r.epoch(), 70, r.trainMse(), r.testAccuracy(), r.testMse(),
        r.seconds());
    UnaryOperator<Curves.Row> test = r -> new Curves.Row(r.epoch(), r.trainAccuracy(), r.trainMse(), 70, r.testMse(),
        r.seconds());
    UnaryOperator<Curves.Row> mse = r -> new Curves.Row(r.epoch(), r.trainAccuracy(), 0.3, r.testAccuracy(), 0.3,
        r.seconds());
    assertThat(changedHalves(base, compare(dir, "train1", changedAtEpoch2(train), ROWS))).containsExactly(true, false);
    assertThat(changedHalves(base, compare(dir, "train2", ROWS, changedAtEpoch2(train)))).containsExactly(true, false);
    assertThat(changedHalves(base, compare(dir, "test1", changedAtEpoch2(test), ROWS))).containsExactly(false, true);
    assertThat(changedHalves(base, compare(dir, "test2", ROWS, changedAtEpoch2(test)))).containsExactly(false, true);
    assertThat(changedHalves(base, compare(dir, "mse", changedAtEpoch2(mse), changedAtEpoch2(mse))))
        .containsExactly(false, false);
  }
}
