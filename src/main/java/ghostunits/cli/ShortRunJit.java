package ghostunits.cli;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * A JIT hint for short command-line runs: HotSpot compiler directives (JEP 165) that keep every
 * method out of the optimizing C2 compiler, i.e. what {@code -XX:TieredStopAtLevel=1} does, set
 * from inside because {@code java -jar} takes no JVM flags from the jar. An {@code oracle eval} of
 * the 784-500-10 network spends about half its CPU time in C2 compiling apfloat and BigDecimal
 * code it then runs for a few seconds only: measured on this project's 2-core machine, 3.5-4.5 s
 * of CPU instead of 7-8 s, same results (the JIT never changes what is computed). Only for the
 * process entry of the oracle commands (tests call {@link Main#execute} and are not affected);
 * off with {@code -Dghostunits.c2=true}. Best effort: on a JVM without the HotSpot diagnostic
 * command bean nothing happens.
 */
final class ShortRunJit {
  private ShortRunJit() {}

  static void apply() {
    if (Boolean.getBoolean("ghostunits.c2")) {
      return;
    }
    Path directives = null;
    try {
      directives = Files.createTempFile("ghost-units-c1", ".json");
      Files.write(directives, "[{ match: \"*.*\", c2: { Exclude: true } }]".getBytes(StandardCharsets.UTF_8));
      MBeanServer server = ManagementFactory.getPlatformMBeanServer();
      ObjectName dcmd = new ObjectName("com.sun.management:type=DiagnosticCommand");
      server.invoke(dcmd, "compilerDirectivesAdd", new Object[] {new String[] {directives.toString()}},
          new String[] {String[].class.getName()});
    } catch (JMException | java.io.IOException | RuntimeException e) {
      // Only a speed hint: without it the results are the same.
    } finally {
      if (directives != null) {
        try {
          Files.deleteIfExists(directives);
        } catch (java.io.IOException e) {
          directives.toFile().deleteOnExit();
        }
      }
    }
  }
}
