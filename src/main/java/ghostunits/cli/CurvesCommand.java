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
      description = "A run folder holding metrics.csv (repeat the option); its folder name labels the series"
          + " (the path as given, where two folders share a name).")
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
    for (Map.Entry<String, Path> run : labelled(runs).entrySet()) {
      Path csv = run.getValue().resolve("metrics.csv");
      if (!Files.isRegularFile(csv)) {
        throw new TrainingException("run folder " + run.getValue() + " has no metrics.csv (is it a train run folder?)");
      }
      series.put(run.getKey(), Curves.read(csv));
    }
    Curves.compare(png, title, series);
  }

  /**
   * Each run folder under its series label, in the order given: the folder name, or where an
   * earlier folder has that label the path as given, or else the absolute path (distinct folders
   * never share a label, so no run replaces another's series).
   */
  static Map<String, Path> labelled(List<Path> runs) {
    Map<String, Path> labels = new LinkedHashMap<>();
    java.util.Set<Path> folders = new java.util.HashSet<>();
    for (Path run : runs) {
      Path folder = run.toAbsolutePath().normalize();
      if (!folders.add(folder)) {
        throw new TrainingException("run folder " + run + " is given twice");
      }
      Path name = folder.getFileName();
      String label = name == null ? run.toString() : name.toString();
      if (labels.containsKey(label)) {
        label = labels.containsKey(run.toString()) ? folder.toString() : run.toString();
      }
      labels.put(label, run);
    }
    return labels;
  }
}
