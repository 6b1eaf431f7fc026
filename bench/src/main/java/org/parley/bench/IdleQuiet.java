package org.parley.bench;

import java.io.IOException;

/**
 * Waits for a server to settle before its footprint is taken: the key-transparency publisher works
 * through the registrations for a while, and closed HTTP connections take a moment to leave its
 * open files.
 */
final class IdleQuiet {
  /** Quiet: less CPU than this in each of {@link #QUIET_SECONDS} seconds, same open files. */
  private static final long QUIET_CPU_NANOS = 50_000_000;

  private static final int QUIET_SECONDS = 3;
  private static final long TIMEOUT_NANOS = 180_000_000_000L;

  private IdleQuiet() {}

  static void await(long pid, String when) throws IOException, InterruptedException {
    long start = System.nanoTime();
    long cpu = ProcessCpu.nanos(pid).orElse(0);
    int files = ServerFootprint.openFiles(pid);
    int quiet = 0;
    while (quiet < QUIET_SECONDS) {
      if (System.nanoTime() - start > TIMEOUT_NANOS) {
        IdleConnectionsBench.log(
            "the server was not quiet %s within 180 s; measuring anyway", when);
        return;
      }
      Thread.sleep(1000);
      long cpuNow = ProcessCpu.nanos(pid).orElse(0);
      int filesNow = ServerFootprint.openFiles(pid);
      quiet = cpuNow - cpu < QUIET_CPU_NANOS && filesNow == files ? quiet + 1 : 0;
      cpu = cpuNow;
      files = filesNow;
    }
    IdleConnectionsBench.log(
        "the server is quiet %s (after %.0f s)", when, (System.nanoTime() - start) / 1e9);
  }
}
