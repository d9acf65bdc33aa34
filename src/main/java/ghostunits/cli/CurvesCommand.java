package ghostunits.cli;

import ghostunits.plasticity.Curves;
import ghostunits.plasticity.TrainingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Overlays the accuracy curves of several training runs (their metrics.csv) in one PNG. */
@Command(
    name = "curves",
    mixinStandardHelpOptions = true,
    description = "Plot the train and test accuracy of several run folders on the same axes (e.g. a Table 1 row"
        + " and its train --backprop baselines).")
final class CurvesCommand implements Runnable {
  @Option(names = "--run", required = true,
      description = "A run folder holding metrics.csv (repeat the option); its folder name labels the series.")
  List<Path> runs = List.of();

  @Option(names = "--out", required = true, description = "The PNG to write.")
  @Nullable Path out;

  @Option(names = "--title", defaultValue = "MNIST", description = "Chart title (default: ${DEFAULT-VALUE}).")
  String title = "MNIST";

  @Override
  public void run() {
    Path png = out;
    if (png == null) {
      throw new IllegalStateException("picocli did not inject --out");
    }
    Map<String, List<Curves.Row>> series = new LinkedHashMap<>();
    for (Path run : runs) {
      Path csv = run.resolve("metrics.csv");
      if (!Files.isRegularFile(csv)) {
        throw new TrainingException("run folder " + run + " has no metrics.csv (is it a train run folder?)");
      }
      Path name = run.toAbsolutePath().normalize().getFileName();
      series.put(name == null ? run.toString() : name.toString(), Curves.read(csv));
    }
    Curves.compare(png, title, series);
  }
}
