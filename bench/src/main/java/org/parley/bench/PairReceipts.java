package org.parley.bench;

import java.util.BitSet;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * What one receiver got in one phase: which sequence numbers arrived (to count losses and
 * duplicates), when, and the end-to-end latency of each first arrival, in microseconds.
 */
final class PairReceipts {
  private static final long MAX_LATENCY_US = TimeUnit.HOURS.toMicros(1);

  private final BitSet accepted = new BitSet();
  private final BitSet seen = new BitSet();
  private final Histogram latencyUs = new Histogram(MAX_LATENCY_US, 3);
  private int duplicates;
  private long lastReceivedNanos;

  /** The system took responsibility for this message (its send was answered with success). */
  synchronized void accepted(int seq) {
    accepted.set(seq);
  }

  /**
   * Records an arrival; a repeat of a sequence number counts as a duplicate, not a latency.
   *
   * @return true for the first arrival of the sequence number
   */
  synchronized boolean received(int seq, long sentNanos, long receivedNanos) {
    if (seen.get(seq)) {
      duplicates++;
      return false;
    }
    seen.set(seq);
    long micros = Math.max(0, (receivedNanos - sentNanos) / 1_000);
    latencyUs.recordValue(Math.min(micros, MAX_LATENCY_US));
    lastReceivedNanos = Math.max(lastReceivedNanos, receivedNanos);
    return true;
  }

  synchronized int unique() {
    return seen.cardinality();
  }

  synchronized int duplicates() {
    return duplicates;
  }

  /** Messages accepted by the system and never delivered. */
  synchronized int lost() {
    BitSet missing = (BitSet) accepted.clone();
    missing.andNot(seen);
    return missing.cardinality();
  }

  synchronized long lastReceivedNanos() {
    return lastReceivedNanos;
  }

  synchronized void addLatenciesTo(Histogram total) {
    total.add(latencyUs);
  }
}
