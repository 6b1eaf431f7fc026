package org.parley.bench.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Durations of one measured operation, in milliseconds, summarised as median, p90, min, max. */
final class Figures {
  private final String name;
  private final List<Double> millis = new ArrayList<>();

  Figures(String name) {
    this.name = name;
  }

  void add(double ms) {
    millis.add(ms);
  }

  void addNanos(long nanos) {
    millis.add(nanos / 1e6);
  }

  int count() {
    return millis.size();
  }

  double median() {
    return percentile(50);
  }

  double percentile(int p) {
    List<Double> sorted = new ArrayList<>(millis);
    sorted.sort(null);
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank)));
  }

  /** One table row: name | n | median | p90 | min | max. */
  String row() {
    if (millis.isEmpty()) {
      return String.format(Locale.ROOT, "| %s | 0 | | | | |", name);
    }
    return String.format(
        Locale.ROOT,
        "| %s | %d | %s | %s | %s | %s |",
        name,
        millis.size(),
        ms(median()),
        ms(percentile(90)),
        ms(percentile(0)),
        ms(percentile(100)));
  }

  static String header() {
    return "| operation | n | median | p90 | min | max |\n|---|---|---|---|---|---|";
  }

  private static String ms(double v) {
    return v >= 100
        ? String.format(Locale.ROOT, "%.0f ms", v)
        : String.format(Locale.ROOT, "%.1f ms", v);
  }
}
