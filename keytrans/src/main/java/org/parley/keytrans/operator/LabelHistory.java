package org.parley.keytrans.operator;

import java.util.ArrayList;
import java.util.List;
import org.parley.keytrans.search.BinaryLadder;

/** The versions of one label in order; version {@code i} is element {@code i}. */
final class LabelHistory {
  private final List<LabelVersion> versions = new ArrayList<>();

  long greatest() {
    return versions.size() - 1;
  }

  LabelVersion get(long version) {
    return versions.get(Math.toIntExact(version));
  }

  void add(LabelVersion version) {
    if (version.version() != versions.size()) {
      throw new IllegalArgumentException(
          "version " + version.version() + " of a label with " + versions.size() + " versions");
    }
    versions.add(version);
  }

  /** The greatest version inserted at or before {@code position}, or -1. */
  long greatestAt(long position) {
    int lo = 0;
    int hi = versions.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (versions.get(mid).position() <= position) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo - 1;
  }

  /** The versions created in the entry {@code position}, ascending. */
  List<LabelVersion> createdAt(long position) {
    List<LabelVersion> out = new ArrayList<>();
    long first = greatestAt(position - 1) + 1;
    for (long v = first; v <= greatestAt(position); v++) {
      out.add(get(v));
    }
    return out;
  }

  static void requireVersion(long version) {
    if (version < 0 || version > BinaryLadder.MAX_VERSION) {
      throw new IllegalArgumentException("version out of range");
    }
  }
}
