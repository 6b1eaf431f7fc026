package org.parley.bench;

import java.io.PrintStream;
import java.util.Locale;

/** The idle-connections bench's table: what N idle devices cost the server, and one fan-out. */
record IdleReport(
    int filesLimit,
    int filesBefore,
    java.util.Map<String, Integer> fileKinds,
    int connections,
    int clientProcesses,
    double openSeconds,
    ServerFootprint before,
    ServerFootprint after,
    IdleConnectionsBench.Delivery delivery) {
  private static final int TOP = 15;

  void print(PrintStream out) {
    int n = connections;
    IdleConnectionsBench.Delivery d = delivery;
    row(out, "## Idle connections", "");
    row(out, "| figure | value |", "");
    row(out, "|---|---|", "");
    row(
        out,
        "| idle WebSockets held (protocol version 2) | %,d from %d client processes (server: %,d"
            + " open files allowed, %,d open before) |",
        n,
        clientProcesses,
        filesLimit,
        filesBefore);
    row(out, "| the server's own open files before (by kind) | %s |", fileKinds);
    row(out, "| time to open them | %.1f s |", openSeconds);
    row(
        out,
        "| live heap after a full GC, before / after | %.1f MiB / %.1f MiB |",
        before.liveHeapBytes() / 1048576.0,
        after.liveHeapBytes() / 1048576.0);
    row(
        out,
        "| **heap per connection** | **%,d bytes (%.1f KiB)** |",
        perConnection(after.liveHeapBytes() - before.liveHeapBytes()),
        perConnection(after.liveHeapBytes() - before.liveHeapBytes()) / 1024.0);
    row(
        out,
        "| resident memory (VmRSS) before / after; per connection | %.0f MiB / %.0f MiB; %,d bytes |",
        before.rssBytes() / 1048576.0,
        after.rssBytes() / 1048576.0,
        perConnection(after.rssBytes() - before.rssBytes()));
    row(out, "| server threads before / after | %d / %d |", before.threads(), after.threads());
    row(
        out,
        "| server open files before / after | %,d / %,d |",
        before.openFiles(),
        after.openFiles());
    row(
        out,
        "| one message to each: sent / refused / arrived / acknowledged | %,d / %,d / %,d / %,d of %,d |",
        d.sent(),
        d.refused(),
        d.arrived(),
        d.acked(),
        d.messages());
    row(
        out,
        "| first send to last send written | %.0f ms |",
        ms(d.lastSendNanos() - d.firstSendNanos()));
    row(
        out,
        "| first send to last `sent` answer | %.0f ms |",
        ms(d.lastAnswerNanos() - d.firstSendNanos()));
    long[] arrivals = d.arrivalNanos();
    if (arrivals.length > 0) {
      row(
          out,
          "| **first send to last arrival** | **%.0f ms** (%,.0f msg/s) |",
          ms(arrivals[arrivals.length - 1] - d.firstSendNanos()),
          arrivals.length / ((arrivals[arrivals.length - 1] - d.firstSendNanos()) / 1e9));
      row(
          out,
          "| first send to arrival: p50 / p99 | %.0f ms / %.0f ms |",
          ms(arrivals[arrivals.length / 2] - d.firstSendNanos()),
          ms(
              arrivals[(int) Math.min(arrivals.length - 1, arrivals.length * 0.99)]
                  - d.firstSendNanos()));
    }
    if (d.serverCpuNanos() >= 0) {
      row(
          out,
          "| server CPU, first send until every ack was confirmed | %.2f s (%.0f us per message) |",
          d.serverCpuNanos() / 1e9,
          d.serverCpuNanos() / 1e3 / Math.max(1, d.messages()));
    }
    row(out, "", "");
    row(
        out,
        "Heap growth by class, per connection (jcmd GC.class_histogram, after minus before):",
        "");
    row(out, "| class | bytes per connection | instances per connection |", "");
    row(out, "|---|---|---|", "");
    for (ServerFootprint.Growth g : after.growthSince(before, TOP)) {
      row(
          out,
          "| `%s` | %.0f | %.2f |",
          g.className(),
          g.bytes() / (double) n,
          g.instances() / (double) n);
    }
  }

  /** Every class's growth, per connection, largest first, as tab-separated lines. */
  static void writeGrowth(
      java.nio.file.Path file, ServerFootprint before, ServerFootprint after, int connections)
      throws java.io.IOException {
    StringBuilder text =
        new StringBuilder("class\tbytes per connection\tinstances per connection\n");
    for (ServerFootprint.Growth g : after.growthSince(before, Integer.MAX_VALUE)) {
      text.append(
          String.format(
              Locale.ROOT,
              "%s\t%.1f\t%.3f%n",
              g.className(),
              g.bytes() / (double) connections,
              g.instances() / (double) connections));
    }
    java.nio.file.Files.writeString(file, text);
  }

  private long perConnection(long bytes) {
    return Math.round(bytes / (double) connections);
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  private static void row(PrintStream out, String format, Object... args) {
    out.println(
        args.length == 1 && "".equals(args[0]) ? format : String.format(Locale.ROOT, format, args));
  }
}
