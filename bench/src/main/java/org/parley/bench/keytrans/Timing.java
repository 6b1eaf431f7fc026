package org.parley.bench.keytrans;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;

/**
 * Times client verifications after the fact. The verifier is pure, so each verification is captured
 * with its inputs when the response is made and re-run here: after warm-up rounds over every sample
 * (so the JIT has compiled the whole path), then in measured rounds that visit the samples in turn,
 * so that a burst of load on the shared machine spreads over many samples instead of hitting one.
 *
 * <p>Every figure is taken twice: elapsed time, which is what a user waits on this machine, and the
 * thread's CPU time, which other work on the (shared, 2-core) machine inflates far less.
 */
final class Timing {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private Timing() {}

  /** Elapsed and CPU nanoseconds of the same observations. */
  record Times(Distribution elapsed, Distribution cpu) {
    Times() {
      this(new Distribution(), new Distribution());
    }
  }

  /** The calling thread's CPU time in nanoseconds. */
  static long cpu() {
    return THREADS.getCurrentThreadCpuTime();
  }

  /**
   * A full collection before timing: the log's freshly built tree nodes are still in the young
   * generation, and a young collection copying them would land in some timed client verification (a
   * client has no such heap). What the verifications allocate is short-lived.
   */
  static void settleHeap() {
    System.gc();
  }

  /** One verification with its inputs bound; it throws only for a bad response. */
  interface Check {
    void run() throws Exception;
  }

  /**
   * Runs every sample (the checks that together make one user-visible verification, such as an
   * update and the owner monitoring after it) {@code warmup} times unmeasured, then {@code rounds}
   * times measured; one observation per sample and round.
   */
  static Times time(List<List<Check>> samples, int warmup, int rounds) throws Exception {
    Times times = new Times();
    for (int round = 0; round < warmup + rounds; round++) {
      for (List<Check> sample : samples) {
        long c0 = cpu();
        long t0 = System.nanoTime();
        for (Check check : sample) {
          check.run();
        }
        long elapsed = System.nanoTime() - t0;
        long cpu = cpu() - c0;
        if (round >= warmup) {
          times.elapsed().add(elapsed);
          times.cpu().add(cpu);
        }
      }
    }
    return times;
  }
}
