package org.parley.keytrans.log;

/**
 * A node of a left-balanced log tree, named by the leaves it spans: {@code [start, start+size)}.
 *
 * <p>The draft numbers log entries but not interior nodes, so a node is identified by its leaf
 * range. In a left-balanced tree a node's left child spans the largest power of two strictly
 * smaller than its size; a node is balanced iff its size is a power of two, and every balanced node
 * is aligned ({@code start} is a multiple of {@code size}).
 *
 * @param start index of the leftmost leaf
 * @param size number of leaves, at least one
 */
public record Subtree(long start, long size) {
  public Subtree {
    if (start < 0 || size < 1 || start > Long.MAX_VALUE - size) {
      throw new IllegalArgumentException("invalid subtree [" + start + ", +" + size + ")");
    }
  }

  /** The single-leaf subtree of leaf {@code index}. */
  public static Subtree leaf(long index) {
    return new Subtree(index, 1);
  }

  /** One past the rightmost leaf. */
  public long end() {
    return start + size;
  }

  /** Whether this node is a leaf node. */
  public boolean isLeaf() {
    return size == 1;
  }

  /** Whether this node heads a balanced subtree (its size is a power of two). */
  public boolean isBalanced() {
    return Long.bitCount(size) == 1;
  }

  /** The left child; the largest balanced subtree that fits in this node's leaves. */
  public Subtree left() {
    return new Subtree(start, split());
  }

  /** The right child: the left-balanced tree of the remaining leaves. */
  public Subtree right() {
    long split = split();
    return new Subtree(start + split, size - split);
  }

  /** Whether leaf {@code index} lies in this subtree. */
  public boolean containsLeaf(long index) {
    return index >= start && index < end();
  }

  /** Whether {@code other} is this node or one of its descendants' leaf ranges. */
  public boolean contains(Subtree other) {
    return other.start >= start && other.end() <= end();
  }

  private long split() {
    if (size < 2) {
      throw new IllegalStateException("a leaf node has no children");
    }
    return Long.highestOneBit(size - 1);
  }

  @Override
  public String toString() {
    return size == 1 ? "[" + start + "]" : "[" + start + ".." + (end() - 1) + "]";
  }
}
