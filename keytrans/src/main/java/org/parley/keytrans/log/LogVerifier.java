package org.parley.keytrans.log;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks batched log tree proofs the way the draft's user does: pure computation, no I/O.
 *
 * <p>The verifier walks the same node set as {@link LogTreeMath#proofNodes}, taking proved leaf
 * values and retained full subtree heads from the caller and every other head from the proof, in
 * order. Where a retained head is also recomputed from proved leaves beneath it, the two must agree
 * (draft section "Tree Proofs / Log Tree", last paragraph).
 */
public final class LogVerifier {
  private final LogTreeHash hash;

  public LogVerifier(LogTreeHash hash) {
    this.hash = hash;
  }

  /**
   * Computes the candidate root from {@code proof} and returns it with the full subtrees to retain;
   * the caller checks the root against the signed tree head (or uses {@link #verify}).
   *
   * @param leafValues the values of {@code scope.leaves()}, in the same order
   * @param retained the retained full subtrees of {@code scope.retainedSize()}, null iff it is 0
   * @throws InvalidProofException if the proof has too few or too many elements, an element of the
   *     wrong length, or recomputes a retained head differently
   */
  public VerifiedLogTree evaluate(
      ProofScope scope, List<HashValue> leafValues, FullSubtrees retained, InclusionProof proof)
      throws InvalidProofException {
    if (leafValues.size() != scope.leaves().length) {
      throw new IllegalArgumentException("one leaf value per leaf in the scope is required");
    }
    leafValues.forEach(hash::requireLength);
    if ((retained == null) != (scope.retainedSize() == 0)
        || (retained != null && retained.treeSize() != scope.retainedSize())) {
      throw new IllegalArgumentException("retained full subtrees must match the scope");
    }
    if (retained != null) {
      retained.heads().forEach(hash::requireLength);
    }
    Walk walk = new Walk(new LogTreeMath.Shape(scope), leafValues, retained, proof);
    HashValue root = walk.value(LogTreeMath.root(scope.treeSize()));
    if (walk.next != proof.elements().size()) {
      throw new InvalidProofException(
          "proof has " + (proof.elements().size() - walk.next) + " unused elements");
    }
    Optional<HashValue> auditorRoot =
        scope.auditorSize() == 0
            ? Optional.empty()
            : Optional.of(new FullSubtrees(scope.auditorSize(), walk.auditorHeads).root(hash));
    return new VerifiedLogTree(
        root, new FullSubtrees(scope.treeSize(), walk.fullHeads), auditorRoot);
  }

  /** Like {@code evaluate}, and also requires the computed root to equal {@code expectedRoot}. */
  public VerifiedLogTree verify(
      ProofScope scope,
      List<HashValue> leafValues,
      FullSubtrees retained,
      InclusionProof proof,
      HashValue expectedRoot)
      throws InvalidProofException {
    VerifiedLogTree result = evaluate(scope, leafValues, retained, proof);
    if (!result.root().equals(expectedRoot)) {
      throw new InvalidProofException("computed root does not match the tree head");
    }
    return result;
  }

  private final class Walk {
    private final LogTreeMath.Shape shape;
    private final List<HashValue> leafValues;
    private final List<HashValue> retainedHeads;
    private final List<HashValue> elements;
    private final List<HashValue> fullHeads = new ArrayList<>();
    private final List<HashValue> auditorHeads = new ArrayList<>();
    private int next;

    Walk(
        LogTreeMath.Shape shape,
        List<HashValue> leafValues,
        FullSubtrees retained,
        InclusionProof proof) {
      this.shape = shape;
      this.leafValues = leafValues;
      this.retainedHeads = retained == null ? List.of() : retained.heads();
      this.elements = proof.elements();
    }

    // Recursion depth is at most 64: below the root every opened node's balanced part halves.
    HashValue value(Subtree node) throws InvalidProofException {
      int retainedIndex = shape.retained.indexOf(node);
      HashValue retainedHead = retainedIndex < 0 ? null : retainedHeads.get(retainedIndex);
      HashValue value;
      if (shape.isOpened(node)) {
        Subtree left = node.left();
        Subtree right = node.right();
        HashValue l = value(left);
        HashValue r = value(right);
        value = hash.parentValue(left, l, right, r);
      } else if (node.isLeaf() && shape.containsLeaf(node)) {
        value = leafValues.get(shape.leafPosition(node.start()));
      } else if (retainedHead != null) {
        value = retainedHead;
      } else {
        if (next >= elements.size()) {
          throw new InvalidProofException("proof has too few elements");
        }
        value = elements.get(next++);
        if (value.length() != hash.nh()) {
          throw new InvalidProofException("proof element has the wrong length");
        }
      }
      if (retainedHead != null && !retainedHead.equals(value)) {
        throw new InvalidProofException(
            "recomputed head of retained full subtree " + node + " differs from the retained one");
      }
      // The walk is in-order and full subtrees are disjoint, so both lists fill left to right.
      if (shape.full.contains(node)) {
        fullHeads.add(value);
      }
      if (shape.auditor.contains(node)) {
        auditorHeads.add(value);
      }
      return value;
    }
  }
}
