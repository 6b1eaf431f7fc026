package org.parley.bench;

import java.io.PrintStream;
import java.util.Locale;

/** Prints results as a plain-text table, one row per run, as they come. */
final class ResultTable {
  private static final String ROW =
      "%-8s %-19s %4s %9s %9s %8s %8s %8s %8s %10s %12s %5s %5s %6s%n";

  private final PrintStream out;

  ResultTable(PrintStream out) {
    this.out = out;
  }

  void header() {
    out.printf(
        Locale.ROOT,
        ROW,
        "system",
        "store",
        "P",
        "messages",
        "delivered",
        "msg/s",
        "p50 ms",
        "p99 ms",
        "max ms",
        "cpu us/msg",
        "bench us/msg",
        "lost",
        "dup",
        "errors");
    out.flush();
  }

  void row(RunResult r) {
    out.printf(
        Locale.ROOT,
        ROW,
        r.system(),
        r.store(),
        r.pairs(),
        r.messages(),
        r.delivered(),
        String.format(Locale.ROOT, "%.0f", r.messagesPerSecond()),
        millis(r.p50Ms()),
        millis(r.p99Ms()),
        millis(r.maxMs()),
        micros(r.serverCpuUsPerMessage()),
        micros(r.harnessCpuUsPerMessage()),
        r.lost(),
        r.duplicates(),
        r.errors());
    if (r.offeredRate() > 0) {
      out.printf(Locale.ROOT, "  (offered rate %.0f msg/s)%n", r.offeredRate());
    }
    if (r.timedOut()) {
      out.println("  ! the run timed out before every accepted message arrived");
    }
    if (r.stale() > 0) {
      out.println("  ! " + r.stale() + " arrivals belonged to an earlier phase");
    }
    if (r.problem() != null) {
      out.println("  ! " + r.problem());
    }
    out.flush();
  }

  private static String micros(double us) {
    return Double.isNaN(us) ? "n/a" : String.format(Locale.ROOT, "%.1f", us);
  }

  private static String millis(double ms) {
    return Double.isNaN(ms) ? "n/a" : String.format(Locale.ROOT, "%.2f", ms);
  }
}
