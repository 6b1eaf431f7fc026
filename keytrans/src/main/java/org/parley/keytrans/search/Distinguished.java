package org.parley.keytrans.search;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.LongUnaryOperator;

/**
 * Distinguished log entries and expiry (draft-ietf-keytrans-protocol, "Reasonable Monitoring
 * Window" and "Maximum Lifetime").
 *
 * <p>An entry of the implicit search tree is judged with the timestamps bounding its subtree: the
 * root with {@code 0} and the rightmost entry's timestamp; a left child with its parent's left
 * bound and the parent's timestamp; a right child with the parent's timestamp and the parent's
 * right bound. It is distinguished when its parent is (or it is the root) and {@code right - left}
 * is at least the window. Timestamps are compared as unsigned 64-bit values, as on the wire.
 *
 * <p>Timestamps come from {@code timestamp}, called only for the entries the decision needs (the
 * path from the root and the rightmost entry), so a verifier can serve them lazily from a proof.
 */
public final class Distinguished {
  private Distinguished() {}

  /** Whether entry {@code x} of a log of {@code n} entries is distinguished. */
  public static boolean isDistinguished(long x, long n, LongUnaryOperator timestamp, long window) {
    long left = 0;
    long right = timestamp.applyAsLong(n - 1);
    for (long current : ImplicitSearchTree.path(x, n)) {
      if (Long.compareUnsigned(right - left, window) < 0) {
        return false;
      }
      if (current == x) {
        return true;
      }
      long t = timestamp.applyAsLong(current);
      if (x < current) {
        right = t;
      } else {
        left = t;
      }
    }
    throw new AssertionError("the path ends at x");
  }

  /**
   * The rightmost distinguished entry, or empty when there is none. It always lies on the frontier,
   * since every ancestor of a distinguished entry is distinguished (the draft's appendix).
   */
  public static OptionalLong rightmost(long n, LongUnaryOperator timestamp, long window) {
    long last = timestamp.applyAsLong(n - 1);
    long left = 0;
    OptionalLong found = OptionalLong.empty();
    for (long entry : ImplicitSearchTree.frontier(n)) {
      if (Long.compareUnsigned(last - left, window) < 0) {
        break;
      }
      found = OptionalLong.of(entry);
      left = timestamp.applyAsLong(entry);
    }
    return found;
  }

  /**
   * Every distinguished entry in ascending order (the auditor's view; reads every needed entry).
   */
  public static List<Long> all(long n, LongUnaryOperator timestamp, long window) {
    List<Long> out = new ArrayList<>();
    collect(ImplicitSearchTree.root(n), n, 0, timestamp.applyAsLong(n - 1), timestamp, window, out);
    Collections.sort(out);
    return Collections.unmodifiableList(out);
  }

  private static void collect(
      long x,
      long n,
      long left,
      long right,
      LongUnaryOperator timestamp,
      long window,
      List<Long> out) {
    if (Long.compareUnsigned(right - left, window) < 0) {
      return;
    }
    out.add(x);
    long t = timestamp.applyAsLong(x);
    if (ImplicitSearchTree.hasLeft(x, n)) {
      collect(ImplicitSearchTree.left(x, n), n, left, t, timestamp, window, out);
    }
    if (ImplicitSearchTree.hasRight(x, n)) {
      collect(ImplicitSearchTree.right(x, n), n, t, right, timestamp, window, out);
    }
  }

  /**
   * Whether entry {@code x} is expired: the rightmost entry's timestamp minus its own is at least
   * the maximum lifetime. Without a maximum lifetime nothing expires.
   */
  public static boolean isExpired(
      long x, long n, LongUnaryOperator timestamp, OptionalLong maximumLifetime) {
    if (maximumLifetime.isEmpty()) {
      return false;
    }
    long age = timestamp.applyAsLong(n - 1) - timestamp.applyAsLong(x);
    return Long.compareUnsigned(age, maximumLifetime.getAsLong()) >= 0;
  }
}
