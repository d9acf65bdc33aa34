package ghostunits.cli;

import ghostunits.theory.Sweep;
import java.io.PrintWriter;
import java.util.Locale;

/** Prints a {@link Sweep} as a table: one row per beta, the error of each layer, then the orders. */
final class SweepTable {
  private SweepTable() {}

  static void print(PrintWriter out, Sweep sweep) {
    out.printf(Locale.ROOT, "%s  %s  [%s]%n", sweep.theorem(), sweep.quantity(), sweep.precision());
    StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "  %-9s", "beta"));
    for (int k = 1; k <= sweep.layers(); k++) {
      head.append(String.format(Locale.ROOT, " %11s", "layer " + k));
    }
    head.append(String.format(Locale.ROOT, "   %s", "observed order (vs previous beta)"));
    out.println(head);
    double[] betas = sweep.betas();
    for (int i = 0; i < betas.length; i++) {
      StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "  %-9.0e", betas[i]));
      for (int k = 1; k <= sweep.layers(); k++) {
        row.append(String.format(Locale.ROOT, " %11.3e", sweep.layer(k)[i]));
      }
      if (i > 0) {
        row.append("  ");
        for (int k = 1; k <= sweep.layers(); k++) {
          row.append(String.format(Locale.ROOT, " %5.2f", sweep.orders(k)[i - 1]));
        }
      }
      out.println(row);
    }
    out.println();
  }
}
