package org.parley.keytrans.prefix;

import java.util.NavigableSet;

/**
 * How many keys a prefix tree holds under a prefix, as far as its shape depends on it: none, one,
 * or two and more.
 *
 * <p>A {@link PrefixProof} gives a copath node only as a hash, and a hash does not say whether the
 * node is a leaf or a parent. After a removal that matters: a lone leaf moves up, a lone parent
 * does not. Whoever computes the new root from a proof (the auditor) answers the question from the
 * key set it tracks; the answer is checked against the element (a missing node is all zeros).
 */
@FunctionalInterface
public interface PrefixOccupancy {
  /** The answer for "two or more". */
  int MANY = 2;

  /**
   * The number of keys sharing the first {@code length} bits of {@code key}: 0, 1, or {@link #MANY}
   * for two or more.
   */
  int keysWithPrefix(SearchKey key, int length);

  /** The occupancy of the tree holding exactly {@code keys}: two ordered look-ups per question. */
  static PrefixOccupancy of(NavigableSet<SearchKey> keys) {
    return (key, length) -> {
      SearchKey low = key.withSuffix(length, 0);
      SearchKey high = key.withSuffix(length, 1);
      SearchKey first = keys.ceiling(low);
      if (first == null || first.compareTo(high) > 0) {
        return 0;
      }
      SearchKey second = keys.higher(first);
      return second == null || second.compareTo(high) > 0 ? 1 : MANY;
    };
  }
}
