package org.parley.keytrans.log;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/** Pure index arithmetic on left-balanced log trees; no hashing, no I/O. */
public final class LogTreeMath {
  private LogTreeMath() {}

  /** The root node of a log tree of {@code treeSize} leaves. */
  public static Subtree root(long treeSize) {
    return new Subtree(0, treeSize);
  }

  /**
   * The full subtrees of a tree of {@code treeSize} leaves, left to right: the largest balanced
   * subtrees, one per set bit of the size, in decreasing size. Empty for size zero.
   */
  public static List<Subtree> fullSubtrees(long treeSize) {
    if (treeSize < 0) {
      throw new IllegalArgumentException("negative tree size");
    }
    List<Subtree> out = new ArrayList<>(Long.bitCount(treeSize));
    long start = 0;
    for (int bit = 63; bit >= 0; bit--) {
      long width = 1L << bit;
      if ((treeSize & width) != 0) {
        out.add(new Subtree(start, width));
        start += width;
      }
    }
    return Collections.unmodifiableList(out);
  }

  /** Whether {@code node} is a node of the tree of {@code treeSize} leaves. */
  public static boolean isNode(Subtree node, long treeSize) {
    if (node.end() > treeSize) {
      return false;
    }
    Subtree current = root(treeSize);
    while (!current.equals(node)) {
      if (current.isLeaf()) {
        return false;
      }
      current = current.left().contains(node) ? current.left() : current.right();
      if (!current.contains(node)) {
        return false;
      }
    }
    return true;
  }

  /** The parent of {@code node} in the tree of {@code treeSize} leaves. */
  public static Subtree parent(Subtree node, long treeSize) {
    if (!isNode(node, treeSize) || node.equals(root(treeSize))) {
      throw new IllegalArgumentException(node + " has no parent in a tree of size " + treeSize);
    }
    Subtree current = root(treeSize);
    while (true) {
      Subtree next = current.left().contains(node) ? current.left() : current.right();
      if (next.equals(node)) {
        return current;
      }
      current = next;
    }
  }

  /**
   * The nodes whose values an {@code InclusionProof} for {@code scope} lists, in the draft's
   * left-to-right order: the minimum set of balanced subtree heads that, with the leaves to prove
   * and the retained full subtrees, yields the root and, if requested, the auditor root.
   */
  public static List<Subtree> proofNodes(ProofScope scope) {
    List<Subtree> out = new ArrayList<>();
    collect(new Shape(scope), root(scope.treeSize()), out);
    return Collections.unmodifiableList(out);
  }

  private static void collect(Shape shape, Subtree node, List<Subtree> out) {
    if (shape.isOpened(node)) {
      collect(shape, node.left(), out);
      collect(shape, node.right(), out);
    } else if (!shape.isProvidedByVerifier(node)) {
      out.add(node);
    }
  }

  /** A scope with its node sets worked out once, shared by the prover and the verifier. */
  static final class Shape {
    final ProofScope scope;
    final List<Subtree> retained;
    final List<Subtree> auditor;
    final List<Subtree> full;
    private final long[] leaves;

    Shape(ProofScope scope) {
      this.scope = scope;
      this.retained = scope.retainedSubtrees();
      this.auditor = scope.auditorSubtrees();
      this.full = fullSubtrees(scope.treeSize());
      this.leaves = scope.leaves();
    }

    /**
     * Whether the verifier computes {@code node} from its children rather than taking it whole. A
     * node is opened if it is not balanced, or contains a leaf to prove (below itself), or has a
     * retained full subtree or an auditor full subtree strictly below it.
     */
    boolean isOpened(Subtree node) {
      if (node.isLeaf()) {
        return false;
      }
      return !node.isBalanced()
          || containsLeaf(node)
          || containsStrictly(node, retained)
          || containsStrictly(node, auditor);
    }

    /**
     * Whether an unopened node's value comes from the verifier (a proved leaf or retained head).
     */
    boolean isProvidedByVerifier(Subtree node) {
      return (node.isLeaf() && containsLeaf(node)) || retained.contains(node);
    }

    /** The position of leaf {@code index} among the scope's leaves, or negative. */
    int leafPosition(long index) {
      return Arrays.binarySearch(leaves, index);
    }

    boolean containsLeaf(Subtree node) {
      int i = Arrays.binarySearch(leaves, node.start());
      int first = i >= 0 ? i : -i - 1;
      return first < leaves.length && leaves[first] < node.end();
    }

    private static boolean containsStrictly(Subtree node, List<Subtree> candidates) {
      for (Subtree candidate : candidates) {
        if (!candidate.equals(node) && node.contains(candidate)) {
          return true;
        }
      }
      return false;
    }
  }
}
