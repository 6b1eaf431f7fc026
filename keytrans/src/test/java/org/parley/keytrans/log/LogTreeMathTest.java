package org.parley.keytrans.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogTreeMathTest {
  static Subtree s(long start, long size) {
    return new Subtree(start, size);
  }

  @Test
  void childrenFollowTheLeftBalancedShape() {
    // Figure "A log tree containing five leaves".
    Subtree root = LogTreeMath.root(5);
    assertThat(root.left()).isEqualTo(s(0, 4));
    assertThat(root.right()).isEqualTo(s(4, 1));
    assertThat(s(0, 4).left()).isEqualTo(s(0, 2));
    assertThat(LogTreeMath.root(6).right()).isEqualTo(s(4, 2));
    assertThat(LogTreeMath.root(8).left()).isEqualTo(s(0, 4));
    assertThat(LogTreeMath.parent(s(4, 1), 5)).isEqualTo(root);
    assertThat(LogTreeMath.parent(s(3, 1), 5)).isEqualTo(s(2, 2));
    assertThat(LogTreeMath.isNode(s(4, 2), 5)).isFalse();
    assertThat(LogTreeMath.isNode(s(4, 2), 6)).isTrue();
    assertThat(LogTreeMath.isNode(s(1, 2), 6)).isFalse();
    assertThatThrownBy(() -> LogTreeMath.parent(root, 5))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> s(3, 1).left()).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void fullSubtreesAreTheLargestBalancedSubtrees() {
    assertThat(LogTreeMath.fullSubtrees(13)).containsExactly(s(0, 8), s(8, 4), s(12, 1));
    assertThat(LogTreeMath.fullSubtrees(8)).containsExactly(s(0, 8));
    assertThat(LogTreeMath.fullSubtrees(0)).isEmpty();
    assertThat(LogTreeMath.fullSubtrees(Long.MAX_VALUE)).hasSize(63);
  }

  @Test
  void inclusionProofNodesMatchTheDraftFigure() {
    // Figure "Illustration of an inclusion proof": leaf 2 of 6.
    assertThat(LogTreeMath.proofNodes(ProofScope.inclusion(6, 2)))
        .containsExactly(s(0, 2), s(3, 1), s(4, 2));
  }

  @Test
  void consistencyProofNodesMatchTheDraftFigure() {
    // Figure "Illustration of a consistency proof between a log with 5 and with 7 leaves".
    assertThat(LogTreeMath.proofNodes(ProofScope.consistency(5, 7)))
        .containsExactly(s(5, 1), s(6, 1));
    assertThat(LogTreeMath.proofNodes(ProofScope.consistency(4, 8))).containsExactly(s(4, 4));
    assertThat(LogTreeMath.proofNodes(ProofScope.consistency(8, 8))).isEmpty();
    assertThat(LogTreeMath.proofNodes(ProofScope.consistency(7, 7))).isEmpty();
  }

  @Test
  void combinedProofNodesMatchTheDraftWorkedExample() {
    // Appendix "CombinedTreeProof Implementation / Worked Example": 13 entries, retained size 4,
    // leaves 7, 11 and 12 computed by the user.
    ProofScope scope = ProofScope.consistency(4, 13).withLeaves(7, 11, 12);
    assertThat(LogTreeMath.proofNodes(scope)).containsExactly(s(4, 2), s(6, 1), s(8, 2), s(10, 1));
  }

  @Test
  void singleLeafInclusionIsTheCopathBrokenIntoBalancedSubtrees() {
    for (long n = 1; n <= 130; n++) {
      for (long leaf = 0; leaf < n; leaf++) {
        assertThat(LogTreeMath.proofNodes(ProofScope.inclusion(n, leaf)))
            .as("leaf %d of %d", leaf, n)
            .isEqualTo(copathModel(leaf, n));
      }
    }
  }

  @Test
  void everyProofNodeIsABalancedNodeOfTheTree() {
    for (long n = 1; n <= 70; n++) {
      for (long m = 0; m <= n; m++) {
        for (long a = 0; a <= n; a += 3) {
          ProofScope scope =
              ProofScope.consistency(m, n).withLeaves(n / 3, n - 1).withAuditorSize(a);
          for (Subtree node : LogTreeMath.proofNodes(scope)) {
            assertThat(node.isBalanced()).isTrue();
            assertThat(LogTreeMath.isNode(node, n)).isTrue();
          }
        }
      }
    }
  }

  /** Copath of the leaf by the draft's definition, each sibling split into its full subtrees. */
  static List<Subtree> copathModel(long leaf, long n) {
    List<Subtree> left = new ArrayList<>();
    List<List<Subtree>> right = new ArrayList<>();
    long start = 0;
    long size = n;
    while (size > 1) {
      long k = 1;
      while (k * 2 < size) {
        k *= 2;
      }
      if (leaf < start + k) {
        List<Subtree> group = new ArrayList<>();
        for (Subtree f : LogTreeMath.fullSubtrees(size - k)) {
          group.add(s(start + k + f.start(), f.size()));
        }
        right.add(group);
        size = k;
      } else {
        left.add(s(start, k));
        start += k;
        size -= k;
      }
    }
    List<Subtree> out = new ArrayList<>(left);
    // siblings met later on the way down lie further left among the right-hand ones
    for (int i = right.size() - 1; i >= 0; i--) {
      out.addAll(right.get(i));
    }
    return out;
  }
}
