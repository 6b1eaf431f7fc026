package org.parley.keytrans.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ImplicitSearchTreeTest {
  @Test
  void figureOfFourteenEntries() {
    // Figure "A binary tree constructed from 14 entries in a log".
    long n = 14;
    assertThat(ImplicitSearchTree.root(n)).isEqualTo(7);
    assertThat(children(7, n)).containsExactly(3L, 11L);
    assertThat(children(3, n)).containsExactly(1L, 5L);
    assertThat(children(11, n)).containsExactly(9L, 13L);
    assertThat(children(1, n)).containsExactly(0L, 2L);
    assertThat(children(5, n)).containsExactly(4L, 6L);
    assertThat(children(9, n)).containsExactly(8L, 10L);
    assertThat(children(13, n)).containsExactly(12L); // only a left child
    for (long leaf : new long[] {0, 2, 4, 6, 8, 10, 12}) {
      assertThat(children(leaf, n)).isEmpty();
    }
  }

  @Test
  void exampleOfFiftyEntries() {
    // "consider a log with 50 entries ... the root would be entry 31 ... frontier 31, 47, 49".
    assertThat(ImplicitSearchTree.root(50)).isEqualTo(31);
    assertThat(ImplicitSearchTree.frontier(50)).containsExactly(31L, 47L, 49L);
    assertThat(ImplicitSearchTree.root(64)).isEqualTo(63); // "a new root ... at entry 63"
  }

  @Test
  void rootIsTheGreatestPowerOfTwoMinusOneBelowTheSize() {
    assertThat(ImplicitSearchTree.root(1)).isZero();
    assertThat(ImplicitSearchTree.root(2)).isEqualTo(1);
    assertThat(ImplicitSearchTree.root(3)).isEqualTo(1);
    assertThat(ImplicitSearchTree.root(4)).isEqualTo(3);
    assertThat(ImplicitSearchTree.root(Long.MAX_VALUE)).isEqualTo((1L << 62) - 1);
  }

  @Test
  void everySizeUpTo200IsABinarySearchTree() {
    for (long n = 1; n <= 200; n++) {
      long root = ImplicitSearchTree.root(n);
      assertThat(root).isEqualTo(referenceRoot(n));
      assertThat(ImplicitSearchTree.parent(root, n)).isEmpty();
      List<Long> inOrder = new ArrayList<>();
      Set<Long> seen = new HashSet<>();
      walk(root, n, Long.MIN_VALUE, Long.MAX_VALUE, inOrder, seen);
      List<Long> expected = new ArrayList<>();
      for (long i = 0; i < n; i++) {
        expected.add(i);
      }
      assertThat(inOrder).as("in-order of size %d", n).isEqualTo(expected);
      // The draft's inductive definition: left subtree is the tree of size root, right subtree
      // the tree of size n-root-1 offset by root+1.
      if (ImplicitSearchTree.hasLeft(root, n)) {
        assertThat(ImplicitSearchTree.left(root, n)).isEqualTo(referenceRoot(root));
      }
      if (ImplicitSearchTree.hasRight(root, n)) {
        assertThat(ImplicitSearchTree.right(root, n))
            .isEqualTo(root + 1 + referenceRoot(n - root - 1));
      }
      for (long x = 0; x < n; x++) {
        List<Long> path = ImplicitSearchTree.path(x, n);
        assertThat(path.get(0)).isEqualTo(root);
        assertThat(path.get(path.size() - 1)).isEqualTo(x);
        List<Long> up = ImplicitSearchTree.directPath(x, n);
        assertThat(up).hasSize(path.size() - 1);
        OptionalLong parent = ImplicitSearchTree.parent(x, n);
        if (x != root) {
          assertThat(parent).hasValue(up.get(0));
          long p = parent.getAsLong();
          boolean isLeft = ImplicitSearchTree.hasLeft(p, n) && ImplicitSearchTree.left(p, n) == x;
          boolean isRight =
              ImplicitSearchTree.hasRight(p, n) && ImplicitSearchTree.right(p, n) == x;
          assertThat(isLeft ^ isRight).isTrue();
          assertThat(up.get(up.size() - 1)).isEqualTo(root);
        }
      }
      List<Long> frontier = ImplicitSearchTree.frontier(n);
      assertThat(frontier.get(frontier.size() - 1)).isEqualTo(n - 1);
      assertThat(ImplicitSearchTree.path(n - 1, n)).isEqualTo(frontier);
    }
  }

  @Test
  void viewUpdatesCoverTheNewFrontierInAscendingOrder() {
    for (long n = 1; n <= 200; n++) {
      assertThat(ImplicitSearchTree.viewUpdateEntries(0, n))
          .isEqualTo(ImplicitSearchTree.frontier(n));
      assertThat(ImplicitSearchTree.viewUpdateEntries(n, n)).isEmpty();
      for (long previous = 1; previous < n; previous++) {
        long m = previous;
        List<Long> entries = ImplicitSearchTree.viewUpdateEntries(m, n);
        assertThat(entries).isSortedAccordingTo(Long::compare).doesNotHaveDuplicates();
        assertThat(entries).allMatch(e -> e >= m);
        assertThat(entries.get(entries.size() - 1)).isEqualTo(n - 1);
        // Every new frontier entry is checked; the entries are ancestors of m-1 or on the frontier.
        List<Long> frontier = ImplicitSearchTree.frontier(n);
        assertThat(entries).containsAll(frontier.stream().filter(e -> e >= m).toList());
        List<Long> ancestors = ImplicitSearchTree.directPath(m - 1, n);
        assertThat(entries).allMatch(e -> frontier.contains(e) || ancestors.contains(e));
      }
    }
    // Size 50 grown to 64: entry 49's ancestors at or beyond 50 are 51, 55, 63 (going up).
    assertThat(ImplicitSearchTree.viewUpdateEntries(50, 64)).containsExactly(51L, 55L, 63L);
  }

  @Test
  void refusesPositionsOutsideTheLog() {
    assertThatThrownBy(() -> ImplicitSearchTree.root(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ImplicitSearchTree.path(5, 5))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ImplicitSearchTree.left(0, 5))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ImplicitSearchTree.right(13, 14))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ImplicitSearchTree.viewUpdateEntries(6, 5))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static long referenceRoot(long n) {
    long p = 1;
    while (p * 2 <= n) {
      p *= 2;
    }
    return p - 1;
  }

  private static List<Long> children(long x, long n) {
    List<Long> out = new ArrayList<>();
    if (ImplicitSearchTree.hasLeft(x, n)) {
      out.add(ImplicitSearchTree.left(x, n));
    }
    if (ImplicitSearchTree.hasRight(x, n)) {
      out.add(ImplicitSearchTree.right(x, n));
    }
    return out;
  }

  private static void walk(
      long x, long n, long low, long high, List<Long> inOrder, Set<Long> seen) {
    assertThat(x).isGreaterThan(low).isLessThan(high);
    assertThat(seen.add(x)).as("visited once").isTrue();
    if (ImplicitSearchTree.hasLeft(x, n)) {
      long l = ImplicitSearchTree.left(x, n);
      assertThat(ImplicitSearchTree.parent(l, n)).hasValue(x);
      walk(l, n, low, x, inOrder, seen);
    }
    inOrder.add(x);
    if (ImplicitSearchTree.hasRight(x, n)) {
      long r = ImplicitSearchTree.right(x, n);
      assertThat(ImplicitSearchTree.parent(r, n)).hasValue(x);
      walk(r, n, x, high, inOrder, seen);
    }
  }
}
