package org.parley.bench.keytrans;

import java.util.Arrays;
import java.util.Locale;

/** Observations of one figure (bytes, or nanoseconds) and their exact order statistics. */
final class Distribution {
  private long[] values = new long[64];
  private int count;

  void add(long value) {
    if (count == values.length) {
      values = Arrays.copyOf(values, count * 2);
    }
    values[count++] = value;
  }

  int count() {
    return count;
  }

  /** The nearest-rank percentile (p in 0..100) of the observations; 0 when there are none. */
  long percentile(double p) {
    if (count == 0) {
      return 0;
    }
    long[] sorted = Arrays.copyOf(values, count);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100 * count);
    return sorted[Math.max(0, Math.min(count, rank) - 1)];
  }

  long max() {
    return percentile(100);
  }

  /** "p50 / p99 / max" in bytes. */
  String bytes() {
    return String.format(Locale.ROOT, "%,d / %,d / %,d", percentile(50), percentile(99), max());
  }

  /** "p50 / p99 / max" of nanosecond observations, in milliseconds. */
  String millis() {
    return String.format(
        Locale.ROOT, "%.3f / %.3f / %.3f", percentile(50) / 1e6, percentile(99) / 1e6, max() / 1e6);
  }
}
