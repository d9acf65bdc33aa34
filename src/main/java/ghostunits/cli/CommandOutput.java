package ghostunits.cli;

import java.io.PrintWriter;
import org.checkerframework.checker.nullness.qual.Nullable;
import picocli.CommandLine.Model.CommandSpec;

/** Where a command prints: picocli's writer, so that tests capture it (see CliRun in the tests). */
final class CommandOutput {
  private CommandOutput() {}

  /** The command's output writer; {@code spec} is the field picocli injects through {@code @Spec}. */
  static PrintWriter of(@Nullable CommandSpec spec) {
    if (spec == null) {
      throw new IllegalStateException("picocli did not inject the command spec");
    }
    return spec.commandLine().getOut();
  }
}
