package ghostunits.cli;

import ghostunits.numeric.GhostUnitsException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code java -jar target/ghost-units.jar}. Each subcommand is its own class;
 * nothing outside this package depends on the CLI.
 */
@Command(
    name = "ghost-units",
    mixinStandardHelpOptions = true,
    version = "ghost-units 0.1.0",
    description = "Reference implementation of the ghost-unit network (arXiv:1911.08585).",
    subcommands = {TheoremsCommand.class, OracleCommand.class, TrainCommand.class, CurvesCommand.class, BenchCommand.class,
      FloorCommand.class, ModelBBiasCommand.class, StepsCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }

  /** The exit code of the command line, without exiting (for tests). */
  public static int execute(String... args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      if (ex instanceof GhostUnitsException || ex instanceof IllegalArgumentException) {
        // A user error: one clear line, no stack trace.
        commandLine.getErr().println("error: " + ex.getMessage());
        return 2;
      }
      throw ex;
    });
    return cli.execute(args);
  }

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("oracle")) {
      ShortRunJit.apply();
    }
    System.exit(execute(args));
  }
}
