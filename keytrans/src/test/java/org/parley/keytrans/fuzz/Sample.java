package org.parley.keytrans.fuzz;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Deterministic thinning of seed lists. */
final class Sample {
  private Sample() {}

  /** At most {@code n} elements, evenly spread over {@code all} (first and last included). */
  static <T> List<T> spread(List<T> all, int n) {
    if (all.size() <= n) {
      return List.copyOf(all);
    }
    List<T> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(all.get((int) ((long) i * (all.size() - 1) / (n - 1))));
    }
    return out;
  }

  /** At most {@code n} of each group, spread as {@link #spread} does, in first-seen order. */
  static <T> List<T> perGroup(List<T> all, Function<T, String> group, int n) {
    Map<String, List<T>> groups = new LinkedHashMap<>();
    all.forEach(t -> groups.computeIfAbsent(group.apply(t), k -> new ArrayList<>()).add(t));
    List<T> out = new ArrayList<>();
    groups.values().forEach(g -> out.addAll(spread(g, n)));
    return out;
  }
}
