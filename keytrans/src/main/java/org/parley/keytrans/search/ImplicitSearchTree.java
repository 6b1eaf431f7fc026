package org.parley.keytrans.search;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;

/**
 * Pure index arithmetic on the implicit binary search tree over the entries of a log of {@code n}
 * entries (draft-ietf-keytrans-protocol, "Implicit Binary Search Tree" and its appendix).
 *
 * <p>Positions are log entry indices {@code 0..n-1}. A position outside the log is an argument
 * error, as is a log of size zero, which has no root.
 */
public final class ImplicitSearchTree {
  private ImplicitSearchTree() {}

  /** The root of the tree over {@code n} entries: {@code 2^floor(log2(n)) - 1}. */
  public static long root(long n) {
    requireSize(n);
    return Long.highestOneBit(n) - 1;
  }

  /**
   * The level of {@code x}: the number of trailing one bits (appendix {@code level}); entries of
   * level zero have no children.
   */
  public static int level(long x) {
    if (x < 0) {
      throw new IllegalArgumentException("negative position");
    }
    return Long.numberOfTrailingZeros(~x);
  }

  /** Whether {@code x} has a left child in the tree over {@code n} entries. */
  public static boolean hasLeft(long x, long n) {
    requirePosition(x, n);
    return level(x) > 0;
  }

  /** Whether {@code x} has a right child in the tree over {@code n} entries. */
  public static boolean hasRight(long x, long n) {
    requirePosition(x, n);
    return level(x) > 0 && x != n - 1;
  }

  /** The left child of {@code x} (appendix {@code left}). */
  public static long left(long x, long n) {
    if (!hasLeft(x, n)) {
      throw new IllegalArgumentException(x + " has no left child");
    }
    return x ^ (1L << (level(x) - 1));
  }

  /**
   * The right child of {@code x} (appendix {@code right}): the child in the complete tree, then
   * left children while that lies beyond the log.
   */
  public static long right(long x, long n) {
    if (!hasRight(x, n)) {
      throw new IllegalArgumentException(x + " has no right child in a log of size " + n);
    }
    long child = x ^ (3L << (level(x) - 1));
    while (child >= n) {
      child = child ^ (1L << (level(child) - 1));
    }
    return child;
  }

  /** The parent of {@code x}, or empty for the root. */
  public static OptionalLong parent(long x, long n) {
    List<Long> path = path(x, n);
    return path.size() < 2 ? OptionalLong.empty() : OptionalLong.of(path.get(path.size() - 2));
  }

  /** The search path from the root down to {@code x}, both included. */
  public static List<Long> path(long x, long n) {
    requirePosition(x, n);
    List<Long> out = new ArrayList<>();
    long current = root(n);
    out.add(current);
    while (current != x) {
      current = x < current ? left(current, n) : right(current, n);
      out.add(current);
    }
    return Collections.unmodifiableList(out);
  }

  /**
   * The direct path of {@code x}: its ancestors from its parent up to the root, {@code x} excluded
   * (the order in which "Updating Views of the Tree" calls the last one the frontier entry).
   */
  public static List<Long> directPath(long x, long n) {
    List<Long> down = path(x, n);
    List<Long> up = new ArrayList<>(down.subList(0, down.size() - 1));
    Collections.reverse(up);
    return Collections.unmodifiableList(up);
  }

  /** The frontier: the root, its right child, that one's right child, ... down to {@code n-1}. */
  public static List<Long> frontier(long n) {
    List<Long> out = new ArrayList<>();
    out.add(root(n));
    appendRightChain(out, n);
    return Collections.unmodifiableList(out);
  }

  /**
   * The entries whose timestamps the log provides when a user who saw size {@code previousSize}
   * (zero for none) moves to size {@code n}, in the order they are checked (section "Algorithm" of
   * "Updating Views of the Tree"): the direct path of {@code previousSize-1} restricted to indices
   * at least {@code previousSize}, then the rest of the frontier.
   */
  public static List<Long> viewUpdateEntries(long previousSize, long n) {
    requireSize(n);
    if (previousSize < 0 || previousSize > n) {
      throw new IllegalArgumentException("previous size must be in [0, n]");
    }
    if (previousSize == 0) {
      return frontier(n);
    }
    List<Long> out = new ArrayList<>();
    for (long entry : directPath(previousSize - 1, n)) {
      if (entry >= previousSize) {
        out.add(entry);
      }
    }
    if (out.isEmpty()) {
      long start = previousSize - 1;
      if (hasRight(start, n)) {
        out.add(right(start, n));
      } else {
        return List.of();
      }
    }
    appendRightChain(out, n);
    return Collections.unmodifiableList(out);
  }

  private static void appendRightChain(List<Long> out, long n) {
    long current = out.get(out.size() - 1);
    while (hasRight(current, n)) {
      current = right(current, n);
      out.add(current);
    }
  }

  private static void requireSize(long n) {
    if (n <= 0) {
      throw new IllegalArgumentException("log size must be positive");
    }
  }

  private static void requirePosition(long x, long n) {
    requireSize(n);
    if (x < 0 || x >= n) {
      throw new IllegalArgumentException("position " + x + " is not in a log of size " + n);
    }
  }
}
