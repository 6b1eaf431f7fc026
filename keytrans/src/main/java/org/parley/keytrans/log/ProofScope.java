package org.parley.keytrans.log;

import java.util.Arrays;
import java.util.List;

/**
 * What one batched log tree proof covers (draft section "Tree Proofs / Log Tree"): the tree size,
 * the leaves proved included, the previously observed size whose full subtrees the verifier
 * retained (consistency), and the {@code AuditorTreeHead.tree_size} whose root must also be
 * computable.
 *
 * @param treeSize leaves in the tree the proof is for, at least one
 * @param leaves indices of the leaves proved included, strictly ascending, each below treeSize
 * @param retainedSize the previously observed tree size, 0 if none, at most treeSize
 * @param auditorSize the auditor's tree size, 0 if none, at most treeSize
 */
public record ProofScope(long treeSize, long[] leaves, long retainedSize, long auditorSize) {
  public ProofScope {
    if (treeSize < 1) {
      throw new IllegalArgumentException("tree size must be positive");
    }
    leaves = leaves.clone();
    for (int i = 0; i < leaves.length; i++) {
      if (leaves[i] < 0 || leaves[i] >= treeSize || (i > 0 && leaves[i] <= leaves[i - 1])) {
        throw new IllegalArgumentException("leaves must be ascending, distinct and in the tree");
      }
    }
    if (retainedSize < 0 || retainedSize > treeSize) {
      throw new IllegalArgumentException("retained size must be in [0, treeSize]");
    }
    if (auditorSize < 0 || auditorSize > treeSize) {
      throw new IllegalArgumentException("auditor size must be in [0, treeSize]");
    }
  }

  /** Inclusion of {@code leaves} (in any order, without repeats) in a tree of {@code treeSize}. */
  public static ProofScope inclusion(long treeSize, long... leaves) {
    long[] sorted = leaves.clone();
    Arrays.sort(sorted);
    return new ProofScope(treeSize, sorted, 0, 0);
  }

  /** Consistency of a retained tree of {@code retainedSize} with one of {@code treeSize}. */
  public static ProofScope consistency(long retainedSize, long treeSize) {
    return new ProofScope(treeSize, new long[0], retainedSize, 0);
  }

  /** This scope, also proving inclusion of {@code moreLeaves}. */
  public ProofScope withLeaves(long... moreLeaves) {
    long[] all = Arrays.copyOf(leaves, leaves.length + moreLeaves.length);
    System.arraycopy(moreLeaves, 0, all, leaves.length, moreLeaves.length);
    return new ProofScope(
        treeSize, Arrays.stream(all).sorted().distinct().toArray(), retainedSize, auditorSize);
  }

  /** This scope, with the verifier retaining the full subtrees of {@code size}. */
  public ProofScope withRetainedSize(long size) {
    return new ProofScope(treeSize, leaves, size, auditorSize);
  }

  /** This scope, also yielding the root of the tree at the auditor's {@code size}. */
  public ProofScope withAuditorSize(long size) {
    return new ProofScope(treeSize, leaves, retainedSize, size);
  }

  @Override
  public long[] leaves() {
    return leaves.clone();
  }

  /** The full subtrees of the retained size, left to right (empty if none). */
  public List<Subtree> retainedSubtrees() {
    return LogTreeMath.fullSubtrees(retainedSize);
  }

  /** The full subtrees of the auditor size, left to right (empty if none). */
  public List<Subtree> auditorSubtrees() {
    return LogTreeMath.fullSubtrees(auditorSize);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ProofScope other
        && treeSize == other.treeSize
        && retainedSize == other.retainedSize
        && auditorSize == other.auditorSize
        && Arrays.equals(leaves, other.leaves);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(treeSize) * 31
        + Arrays.hashCode(leaves)
        + Long.hashCode(retainedSize * 17 + auditorSize);
  }

  @Override
  public String toString() {
    return "ProofScope[treeSize="
        + treeSize
        + ", leaves="
        + Arrays.toString(leaves)
        + ", retainedSize="
        + retainedSize
        + ", auditorSize="
        + auditorSize
        + "]";
  }
}
