package ghostunits.cli;

import ghostunits.data.Mnist;
import ghostunits.plasticity.TrainConfig;
import java.nio.file.Path;
import org.checkerframework.checker.nullness.qual.Nullable;
import picocli.CommandLine.Option;

/** The options that name a Table 1 row and the MNIST folder, shared by {@code train} and {@code steps}. */
final class RowOptions {
  @Option(names = "--config", required = true, description = "Config JSON (configs/table1/*.json).")
  @Nullable Path config;

  @Option(names = "--mnist", description = "MNIST folder (default: $GHOST_UNITS_MNIST, else ../shared/data/mnist).")
  @Nullable Path mnist;

  /** The row's configuration, read and checked ({@link TrainConfig#load}). */
  TrainConfig load() {
    return TrainConfig.load(configFile());
  }

  /** The --config file as given. */
  Path configFile() {
    Path file = config;
    if (file == null) {
      throw new IllegalStateException("picocli did not inject the required --config");
    }
    return file;
  }

  /** The MNIST files, their sizes and md5 sums checked ({@link Mnist#open}). */
  Mnist mnist() {
    Path dir = mnist;
    return Mnist.open(dir != null ? dir : Mnist.defaultDir());
  }
}
