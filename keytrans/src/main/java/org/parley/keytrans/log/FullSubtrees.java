package org.parley.keytrans.log;

import java.util.ArrayList;
import java.util.List;

/**
 * The head values of the full subtrees of a log tree, which a user retains for its last observed
 * tree head (draft section "Updating Views of the Tree / Algorithm", item 2).
 *
 * @param treeSize the size of the tree these are the full subtrees of, at least one
 * @param heads one head value per full subtree, left to right (largest first)
 */
public record FullSubtrees(long treeSize, List<HashValue> heads) {
  public FullSubtrees {
    if (treeSize < 1) {
      throw new IllegalArgumentException("tree size must be positive");
    }
    heads = List.copyOf(heads);
    if (heads.size() != Long.bitCount(treeSize)) {
      throw new IllegalArgumentException(
          "a tree of size " + treeSize + " has " + Long.bitCount(treeSize) + " full subtrees");
    }
    int nh = heads.get(0).length();
    for (HashValue head : heads) {
      if (head.length() != nh) {
        throw new IllegalArgumentException("head values differ in length");
      }
    }
  }

  /**
   * The full subtrees once one more leaf is appended: the trailing heads of sizes 1, 2, 4, ... (one
   * per trailing one bit of the size) merge with the new leaf, so this is O(log n) hashes.
   */
  public FullSubtrees append(LogTreeHash hash, HashValue leafValue) {
    hash.requireLength(leafValue);
    if (treeSize == Long.MAX_VALUE) {
      throw new IllegalStateException("a tree size is at most 2^63-1");
    }
    int merges = Long.numberOfTrailingZeros(~treeSize);
    List<HashValue> out = new ArrayList<>(heads.subList(0, heads.size() - merges));
    HashValue acc = leafValue;
    for (int i = 0; i < merges; i++) {
      // Both sides have 2^i leaves; only at i = 0 are they leaf nodes.
      acc = hash.parentValue(heads.get(heads.size() - 1 - i), i == 0, acc, i == 0);
    }
    out.add(acc);
    return new FullSubtrees(treeSize + 1, out);
  }

  /** The nodes these heads belong to, in the same order as {@link #heads()}. */
  public List<Subtree> subtrees() {
    return LogTreeMath.fullSubtrees(treeSize);
  }

  /** The root value of the tree, folding the full subtrees from the right. */
  public HashValue root(LogTreeHash hash) {
    List<Subtree> nodes = subtrees();
    int last = nodes.size() - 1;
    Subtree accNode = nodes.get(last);
    HashValue acc = heads.get(last);
    hash.requireLength(acc);
    for (int i = last - 1; i >= 0; i--) {
      Subtree left = nodes.get(i);
      acc = hash.parentValue(left, heads.get(i), accNode, acc);
      accNode = new Subtree(left.start(), left.size() + accNode.size());
    }
    return acc;
  }
}
