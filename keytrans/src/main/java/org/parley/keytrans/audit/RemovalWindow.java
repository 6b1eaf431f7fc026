package org.parley.keytrans.audit;

import java.util.function.LongUnaryOperator;
import org.parley.keytrans.search.Distinguished;
import org.parley.keytrans.search.ImplicitSearchTree;

/**
 * Step 5 of the auditor: whether a leaf present in log entries {@code [added, n - 2]} was in at
 * least one distinguished entry of the log of {@code n} entries (the last, {@code n - 1}, being the
 * one that removes it).
 *
 * <p>Decided on one path, O(log n) timestamps: the distinguished entries form a subtree holding the
 * root (every ancestor of a distinguished entry is distinguished), and in a binary search tree the
 * shallowest entry of an index range is an ancestor of every entry in the range. So some entry of
 * the range is distinguished exactly when that shallowest one is.
 */
final class RemovalWindow {
  private RemovalWindow() {}

  /** The shallowest entry of {@code [from, to]} in the implicit tree of {@code n} entries. */
  static long top(long from, long to, long n) {
    if (from < 0 || from > to || to >= n) {
      throw new IllegalArgumentException("[" + from + ", " + to + "] is not a range of " + n);
    }
    long x = ImplicitSearchTree.root(n);
    // The current subtree always holds the whole range, so the child taken exists.
    while (x < from || x > to) {
      x = x < from ? ImplicitSearchTree.right(x, n) : ImplicitSearchTree.left(x, n);
    }
    return x;
  }

  /** Whether an entry of {@code [added, n - 2]} is distinguished; false for an empty range. */
  static boolean publishedInDistinguished(
      long added, long n, LongUnaryOperator timestamp, long window) {
    if (added < 0 || added > n - 2) {
      return false;
    }
    return Distinguished.isDistinguished(top(added, n - 2, n), n, timestamp, window);
  }
}
