package org.parley.keytrans.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogVerifierTest {
  static final LogTreeHash H = LogTreeHash.SHA256;
  static final LogVerifier VERIFIER = new LogVerifier(H);
  static final LogTree TREE = tree(300);

  static LogTree tree(int n) {
    LogTree t = new LogTree(H);
    for (int i = 0; i < n; i++) {
      t.append(LogTreeTest.entry(i));
    }
    return t;
  }

  static List<HashValue> leafValues(ProofScope scope) {
    List<HashValue> out = new ArrayList<>();
    for (long i : scope.leaves()) {
      out.add(TREE.leafValue(i));
    }
    return out;
  }

  static FullSubtrees retained(ProofScope scope) {
    return scope.retainedSize() == 0 ? null : TREE.fullSubtrees(scope.retainedSize());
  }

  static VerifiedLogTree check(ProofScope scope) throws Exception {
    InclusionProof proof = InclusionProof.decode(TREE.prove(scope).encode(), H.nh());
    VerifiedLogTree v =
        VERIFIER.verify(
            scope, leafValues(scope), retained(scope), proof, TREE.root(scope.treeSize()));
    assertThat(v.fullSubtrees()).isEqualTo(TREE.fullSubtrees(scope.treeSize()));
    assertThat(v.auditorRoot().isPresent()).isEqualTo(scope.auditorSize() > 0);
    v.auditorRoot().ifPresent(r -> assertThat(r).isEqualTo(TREE.root(scope.auditorSize())));
    return v;
  }

  @Test
  void everySingleInclusionAndEveryConsistencyVerifiesUpTo64() throws Exception {
    for (long n = 1; n <= 64; n++) {
      for (long m = 0; m <= n; m++) {
        check(ProofScope.consistency(m, n));
        check(ProofScope.consistency(m, n).withAuditorSize(Math.max(1, n - m)));
        if (m > 0) {
          check(ProofScope.inclusion(n, m - 1));
          check(ProofScope.inclusion(n, m - 1).withRetainedSize(m));
          check(ProofScope.inclusion(n, (m * 7) % n).withRetainedSize(m));
        }
      }
    }
  }

  @Test
  void everyConsistencyVerifiesUpTo300() throws Exception {
    for (long n = 65; n <= 300; n++) {
      for (long m = 1; m <= n; m++) {
        check(ProofScope.consistency(m, n));
      }
    }
  }

  @Test
  void workedExampleYieldsTheNewFullSubtrees() throws Exception {
    ProofScope scope = ProofScope.consistency(4, 13).withLeaves(7, 11, 12);
    assertThat(TREE.prove(scope).elements()).hasSize(4);
    assertThat(check(scope).fullSubtrees().heads())
        .containsExactly(
            TREE.value(new Subtree(0, 8)), TREE.value(new Subtree(8, 4)), TREE.leafValue(12));
  }

  @Test
  void recomputedRetainedHeadMustMatchTheRetainedValue() throws Exception {
    // Leaf 1 lies inside the retained full subtree [0..3]: the proof alone recomputes that head,
    // so a naive verifier would never look at the retained value.
    ProofScope scope = ProofScope.inclusion(6, 1).withRetainedSize(5);
    InclusionProof proof = TREE.prove(scope);
    List<HashValue> heads = new ArrayList<>(TREE.fullSubtrees(5).heads());
    heads.set(0, TREE.leafValue(0));
    FullSubtrees forged = new FullSubtrees(5, heads);
    assertThatThrownBy(() -> VERIFIER.evaluate(scope, leafValues(scope), forged, proof))
        .isInstanceOf(InvalidProofException.class)
        .hasMessageContaining("retained");
    // a retained single leaf that is also proved included
    ProofScope last = ProofScope.inclusion(6, 4).withRetainedSize(5);
    List<HashValue> heads2 = new ArrayList<>(TREE.fullSubtrees(5).heads());
    heads2.set(1, TREE.leafValue(3));
    assertThatThrownBy(
            () ->
                VERIFIER.evaluate(
                    last, leafValues(last), new FullSubtrees(5, heads2), TREE.prove(last)))
        .isInstanceOf(InvalidProofException.class);
  }

  @Test
  void rejectsMissingAndSurplusElements() {
    ProofScope scope = ProofScope.inclusion(9, 3);
    List<HashValue> elements = TREE.prove(scope).elements();
    InclusionProof shorter = new InclusionProof(elements.subList(0, elements.size() - 1));
    List<HashValue> more = new ArrayList<>(elements);
    more.add(elements.get(0));
    assertThatThrownBy(() -> VERIFIER.evaluate(scope, leafValues(scope), null, shorter))
        .isInstanceOf(InvalidProofException.class);
    assertThatThrownBy(
            () -> VERIFIER.evaluate(scope, leafValues(scope), null, new InclusionProof(more)))
        .isInstanceOf(InvalidProofException.class);
    assertThatThrownBy(
            () ->
                VERIFIER.evaluate(
                    scope,
                    leafValues(scope),
                    null,
                    new InclusionProof(
                        List.of(
                            HashValue.of(new byte[20]),
                            HashValue.of(new byte[20]),
                            HashValue.of(new byte[20]),
                            HashValue.of(new byte[20])))))
        .isInstanceOf(InvalidProofException.class);
  }

  @Test
  void rejectsAProofForAnotherLeafOrSize() {
    ProofScope scope = ProofScope.inclusion(10, 3);
    InclusionProof proof = TREE.prove(scope);
    assertThatThrownBy(
            () -> VERIFIER.verify(scope, List.of(TREE.leafValue(4)), null, proof, TREE.root(10)))
        .isInstanceOf(InvalidProofException.class);
    assertThatThrownBy(
            () ->
                VERIFIER.verify(
                    ProofScope.inclusion(10, 2),
                    List.of(TREE.leafValue(3)),
                    null,
                    proof,
                    TREE.root(10)))
        .isInstanceOf(InvalidProofException.class);
    assertThatThrownBy(
            () -> VERIFIER.verify(scope, List.of(TREE.leafValue(3)), null, proof, TREE.root(11)))
        .isInstanceOf(InvalidProofException.class);
  }

  @Test
  void emptyVectorEncodesAsTwoZeroBytes() throws Exception {
    assertThat(TREE.prove(ProofScope.consistency(8, 8)).encode()).containsExactly(0, 0);
    byte[] one = TREE.prove(ProofScope.inclusion(2, 0)).encode();
    assertThat(one).hasSize(34);
    assertThat(one[0]).isEqualTo((byte) 0);
    assertThat(one[1]).isEqualTo((byte) 1);
    assertThat(InclusionProof.decode(one, 32).elements()).containsExactly(TREE.leafValue(1));
  }

  @Test
  void decoderRejectsTruncatedOverlongAndTrailingBytes() {
    byte[] good = TREE.prove(ProofScope.inclusion(7, 2)).encode();
    for (int len = 0; len < good.length; len++) {
      byte[] cut = java.util.Arrays.copyOf(good, len);
      assertThatThrownBy(() -> InclusionProof.decode(cut, 32))
          .isInstanceOf(MalformedEncodingException.class);
    }
    byte[] trailing = java.util.Arrays.copyOf(good, good.length + 1);
    assertThatThrownBy(() -> InclusionProof.decode(trailing, 32))
        .isInstanceOf(MalformedEncodingException.class);
    byte[] huge = {(byte) 0xFF, (byte) 0xFF, 1, 2, 3};
    assertThatThrownBy(() -> InclusionProof.decode(huge, 32))
        .isInstanceOf(MalformedEncodingException.class);
    assertThatThrownBy(() -> InclusionProof.decode(null, 32))
        .isInstanceOf(MalformedEncodingException.class);
  }

  @Test
  void readLeavesThePositionAfterTheProof() throws Exception {
    byte[] good = TREE.prove(ProofScope.inclusion(7, 2)).encode();
    java.nio.ByteBuffer in =
        java.nio.ByteBuffer.allocate(good.length + 3).put(good).put(new byte[3]);
    in.flip();
    InclusionProof.read(in, 32);
    assertThat(in.remaining()).isEqualTo(3);
  }

  @Test
  void hugeTreeSizesStayCheap() throws Exception {
    long n = Long.MAX_VALUE;
    ProofScope scope =
        ProofScope.inclusion(n, n - 1).withRetainedSize(n / 3).withAuditorSize(n / 5);
    List<Subtree> nodes = LogTreeMath.proofNodes(scope);
    assertThat(nodes.size()).isLessThan(200);
    List<HashValue> elements = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      elements.add(TREE.leafValue(i));
    }
    FullSubtrees retained =
        new FullSubtrees(
            n / 3, java.util.Collections.nCopies(Long.bitCount(n / 3), TREE.leafValue(0)));
    // Made-up values: the walk must finish (and here, fail on the retained check) quickly.
    assertThatThrownBy(
            () ->
                VERIFIER.evaluate(
                    scope, List.of(TREE.leafValue(1)), retained, new InclusionProof(elements)))
        .isInstanceOf(InvalidProofException.class);
    VerifiedLogTree v =
        VERIFIER.evaluate(
            ProofScope.inclusion(n, n - 1),
            List.of(TREE.leafValue(1)),
            null,
            new InclusionProof(
                elements.subList(
                    0, LogTreeMath.proofNodes(ProofScope.inclusion(n, n - 1)).size())));
    assertThat(v.fullSubtrees().heads()).hasSize(63);
  }
}
