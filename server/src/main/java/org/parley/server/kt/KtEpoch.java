package org.parley.server.kt;

import java.util.List;
import java.util.Objects;

/**
 * Everything one published epoch adds, stored by {@link KtStore#append} in one transaction: the log
 * entry, the prefix-tree leaves it wrote (in the order they were applied), the label versions it
 * inserted, and the pending changes it published.
 */
public record KtEpoch(
    KtEntry entry, List<KtLeaf> leaves, List<KtVersion> versions, List<KtPending> published) {
  public KtEpoch {
    Objects.requireNonNull(entry, "entry");
    leaves = List.copyOf(leaves);
    versions = List.copyOf(versions);
    published = List.copyOf(published);
    for (KtVersion v : versions) {
      if (v.position() != entry.position()) {
        throw new IllegalArgumentException(
            "a version inserted by entry " + entry.position() + " says position " + v.position());
      }
    }
  }
}
