package org.parley.bench;

/**
 * One row of the report: a measured phase of one system at one number of pairs. Latencies are
 * milliseconds; {@code serverCpuUsPerMessage} is NaN when the server's CPU time cannot be read;
 * {@code harnessCpuUsPerMessage} is this load generator's own CPU time (senders and receivers).
 *
 * @param messages messages the senders sent in the measured phase
 * @param delivered distinct messages that reached their receiver
 * @param lost messages the system accepted (answered the send with success) and never delivered
 * @param duplicates arrivals of a message already received
 * @param errors sends the system refused or that failed
 * @param offeredRate the fixed offered rate in msg/s, or 0 for as fast as the window allows
 */
record RunResult(
    String system,
    String store,
    int pairs,
    int window,
    double offeredRate,
    long messages,
    long delivered,
    double seconds,
    double messagesPerSecond,
    double p50Ms,
    double p99Ms,
    double maxMs,
    double serverCpuUsPerMessage,
    double harnessCpuUsPerMessage,
    long lost,
    long duplicates,
    long errors,
    long stale,
    boolean timedOut,
    String problem) {

  static RunResult of(
      Target target, int window, double offeredRate, Driver.PhaseResult phase, String problem) {
    PhaseReceipts.Totals t = phase.totals();
    String firstProblem =
        phase.firstError() != null ? "send failed: " + phase.firstError() : problem;
    return new RunResult(
        target.system(),
        target.store(),
        phase.pairs(),
        window,
        offeredRate,
        phase.sent(),
        t.unique(),
        t.elapsedNanos() / 1e9,
        t.perSecond(),
        t.percentileMillis(50),
        t.percentileMillis(99),
        t.maxMillis(),
        perMessage(phase.serverCpuNanos(), t.unique()),
        perMessage(phase.harnessCpuNanos(), t.unique()),
        t.lost(),
        t.duplicates(),
        phase.sendErrors(),
        t.stale(),
        phase.timedOut(),
        firstProblem);
  }

  private static double perMessage(java.util.OptionalLong nanos, long messages) {
    return nanos.isPresent() && messages > 0 ? nanos.getAsLong() / 1000.0 / messages : Double.NaN;
  }
}
