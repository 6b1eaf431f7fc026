package org.parley.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * Every arrival of one phase (warm-up or measured), across its pairs. Arrivals that carry another
 * phase id (left over from an earlier phase) are counted as stale and otherwise ignored.
 */
final class PhaseReceipts implements ReceiptSink {
  private final int phase;
  private final PairReceipts[] pairs;
  private final LongAdder stale = new LongAdder();
  private final LongAdder undecodable = new LongAdder();
  private final AtomicLong uniqueTotal = new AtomicLong();

  PhaseReceipts(int phase, int pairCount) {
    this.phase = phase;
    this.pairs = new PairReceipts[pairCount];
    for (int i = 0; i < pairCount; i++) {
      pairs[i] = new PairReceipts();
    }
  }

  int phase() {
    return phase;
  }

  void accepted(int pair, int seq) {
    pairs[pair].accepted(seq);
  }

  @Override
  public void received(byte[] buf, int offset, int length, long receivedNanos) {
    Payload payload;
    try {
      payload = Payload.decode(buf, offset, length);
    } catch (IllegalArgumentException e) {
      undecodable.increment();
      return;
    }
    if (payload.phase() != phase
        || payload.pair() < 0
        || payload.pair() >= pairs.length
        || payload.seq() < 0) {
      stale.increment();
      return;
    }
    if (pairs[payload.pair()].received(payload.seq(), payload.sentNanos(), receivedNanos)) {
      uniqueTotal.incrementAndGet();
    }
  }

  long uniqueTotal() {
    return uniqueTotal.get();
  }

  long stale() {
    return stale.sum() + undecodable.sum();
  }

  /** Sums the pairs up; call once the phase is over. */
  Totals totals(long startNanos) {
    Histogram latency = new Histogram(TimeUnit.HOURS.toMicros(1), 3);
    long unique = 0;
    long duplicates = 0;
    long lost = 0;
    long last = startNanos;
    for (PairReceipts p : pairs) {
      unique += p.unique();
      duplicates += p.duplicates();
      lost += p.lost();
      if (p.unique() > 0) {
        last = Math.max(last, p.lastReceivedNanos());
      }
      p.addLatenciesTo(latency);
    }
    return new Totals(unique, duplicates, lost, stale(), last - startNanos, latency);
  }

  /**
   * @param elapsedNanos from the phase's first send to its last first-arrival
   * @param latencyUs end-to-end latency of every first arrival, microseconds
   */
  record Totals(
      long unique, long duplicates, long lost, long stale, long elapsedNanos, Histogram latencyUs) {
    double perSecond() {
      return elapsedNanos <= 0 ? 0 : unique * 1e9 / elapsedNanos;
    }

    double percentileMillis(double percentile) {
      return unique == 0 ? Double.NaN : latencyUs.getValueAtPercentile(percentile) / 1000.0;
    }

    double maxMillis() {
      return unique == 0 ? Double.NaN : latencyUs.getMaxValue() / 1000.0;
    }
  }
}
