package org.parley.keytrans.log;

import java.util.ArrayList;
import java.util.List;

/**
 * An in-memory, append-only log tree that answers root values and proofs for any size it has held.
 *
 * <p>It keeps the value of every balanced subtree, level by level, so appending is amortised
 * constant work and the value of any node is at most one lookup per level. Not thread-safe.
 */
public final class LogTree {
  private final LogTreeHash hash;

  /** levels.get(k).get(j) is the value of the balanced subtree [j * 2^k, (j + 1) * 2^k). */
  private final List<List<HashValue>> levels = new ArrayList<>();

  public LogTree(LogTreeHash hash) {
    this.hash = hash;
    levels.add(new ArrayList<>());
  }

  /** The number of leaves. */
  public long size() {
    return levels.get(0).size();
  }

  /** Appends a log entry; returns its leaf index. */
  public long append(LogEntry entry) {
    return appendLeafValue(hash.leafValue(entry));
  }

  /** Appends a leaf whose value ({@code Hash(LogEntry)}) was computed elsewhere. */
  public long appendLeafValue(HashValue leafValue) {
    hash.requireLength(leafValue);
    levels.get(0).add(leafValue);
    long index = size() - 1;
    // Each completed pair of level-k subtrees yields one level-(k+1) subtree.
    long position = index;
    for (int k = 0; (position & 1) == 1; k++) {
      List<HashValue> level = levels.get(k);
      int j = level.size();
      Subtree left = new Subtree((long) (j - 2) << k, 1L << k);
      Subtree right = new Subtree((long) (j - 1) << k, 1L << k);
      HashValue parent = hash.parentValue(left, level.get(j - 2), right, level.get(j - 1));
      if (levels.size() == k + 1) {
        levels.add(new ArrayList<>());
      }
      levels.get(k + 1).add(parent);
      position >>>= 1;
    }
    return index;
  }

  /** The value of leaf {@code index}. */
  public HashValue leafValue(long index) {
    return value(Subtree.leaf(index));
  }

  /** The root value of the tree when it had {@code treeSize} leaves. */
  public HashValue root(long treeSize) {
    return value(LogTreeMath.root(treeSize));
  }

  /** The retained state of a user who last observed the tree at {@code treeSize} leaves. */
  public FullSubtrees fullSubtrees(long treeSize) {
    List<HashValue> heads = new ArrayList<>();
    for (Subtree s : LogTreeMath.fullSubtrees(treeSize)) {
      heads.add(value(s));
    }
    return new FullSubtrees(treeSize, heads);
  }

  /** The value of {@code node}, which must lie within the leaves appended so far. */
  public HashValue value(Subtree node) {
    if (node.end() > size()) {
      throw new IllegalArgumentException(node + " is beyond the tree's " + size() + " leaves");
    }
    if (node.isBalanced()) {
      int k = Long.numberOfTrailingZeros(node.size());
      return levels.get(k).get(Math.toIntExact(node.start() >>> k));
    }
    Subtree left = node.left();
    Subtree right = node.right();
    return hash.parentValue(left, value(left), right, value(right));
  }

  /** The batched inclusion/consistency proof for {@code scope}, which must fit in this tree. */
  public InclusionProof prove(ProofScope scope) {
    if (scope.treeSize() > size()) {
      throw new IllegalArgumentException(
          "scope tree size " + scope.treeSize() + " exceeds the log's " + size() + " leaves");
    }
    List<HashValue> elements = new ArrayList<>();
    for (Subtree node : LogTreeMath.proofNodes(scope)) {
      elements.add(value(node));
    }
    return new InclusionProof(elements);
  }
}
