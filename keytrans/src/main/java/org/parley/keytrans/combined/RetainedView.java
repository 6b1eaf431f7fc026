package org.parley.keytrans.combined;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import org.parley.keytrans.log.FullSubtrees;
import org.parley.keytrans.search.ImplicitSearchTree;

/**
 * What a user keeps of the last tree head it verified (draft "Updating Views of the Tree /
 * Algorithm"): the tree size, the heads of the log tree's full subtrees, and the log entries on the
 * frontier with their timestamps and prefix roots.
 */
public record RetainedView(
    long treeSize, FullSubtrees fullSubtrees, SortedMap<Long, EntryData> frontier) {
  public RetainedView {
    Objects.requireNonNull(fullSubtrees, "fullSubtrees");
    if (fullSubtrees.treeSize() != treeSize) {
      throw new IllegalArgumentException("full subtrees are for another tree size");
    }
    frontier = Collections.unmodifiableSortedMap(new TreeMap<>(frontier));
    List<Long> expected = ImplicitSearchTree.frontier(treeSize);
    if (!frontier.keySet().equals(new java.util.TreeSet<>(expected))) {
      throw new IllegalArgumentException("retained entries must be exactly the frontier");
    }
  }

  /** The timestamp of the rightmost entry. */
  public long rightmostTimestamp() {
    return frontier.get(treeSize - 1).timestamp();
  }

  /** The retained data of {@code position}, or null if it is not on the retained frontier. */
  public EntryData entry(long position) {
    return frontier.get(position);
  }

  static RetainedView of(long treeSize, FullSubtrees fullSubtrees, Map<Long, EntryData> frontier) {
    return new RetainedView(treeSize, fullSubtrees, new TreeMap<>(frontier));
  }
}
