package org.parley.keytrans.log;

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

  /** The nodes these heads belong to, in the same order as {@link #heads()}. */
  public List<Subtree> subtrees() {
    return LogTreeMath.fullSubtrees(treeSize);
  }

  /**
   * The full subtrees after appending one leaf of value {@code leafValue}: the new leaf merges
   * with each equally sized subtree at the right edge.
   */
  public FullSubtrees append(HashValue leafValue, LogTreeHash hash) {
    hash.requireLength(leafValue);
    java.util.ArrayList<Subtree> nodes = new java.util.ArrayList<>(subtrees());
    java.util.ArrayList<HashValue> values = new java.util.ArrayList<>(heads);
    Subtree node = Subtree.leaf(treeSize);
    HashValue value = leafValue;
    while (!nodes.isEmpty() && nodes.getLast().size() == node.size()) {
      Subtree left = nodes.removeLast();
      value = hash.parentValue(left, values.removeLast(), node, value);
      node = new Subtree(left.start(), left.size() * 2);
    }
    values.add(value);
    return new FullSubtrees(treeSize + 1, values);
  }

  /** The full subtrees of the one-leaf tree. */
  public static FullSubtrees ofFirstLeaf(HashValue leafValue) {
    return new FullSubtrees(1, List.of(leafValue));
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
