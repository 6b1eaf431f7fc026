package org.parley.keytrans.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class LogProofPropertyTest {
  static final int MAX = 3000;
  static final LogTreeHash H = LogTreeHash.SHA256;
  static final LogVerifier VERIFIER = new LogVerifier(H);
  static final LogTree TREE = LogVerifierTest.tree(MAX);

  @Provide
  Arbitrary<ProofScope> scopes() {
    Arbitrary<Long> sizes = Arbitraries.longs().between(1, MAX);
    return sizes.flatMap(
        n ->
            Combinators.combine(
                    Arbitraries.longs().between(0, n - 1).list().ofMaxSize(6),
                    Arbitraries.longs().between(0, n).injectDuplicates(0.2),
                    Arbitraries.longs().between(0, n).injectDuplicates(0.2),
                    Arbitraries.integers().between(0, 3))
                .as(
                    (leaves, m, a, kind) -> {
                      long[] ls =
                          leaves.stream().mapToLong(Long::longValue).sorted().distinct().toArray();
                      return switch (kind) {
                        case 0 -> new ProofScope(n, ls, 0, 0);
                        case 1 -> new ProofScope(n, new long[0], m, 0);
                        case 2 -> new ProofScope(n, ls, m, 0);
                        default -> new ProofScope(n, ls, m, a);
                      };
                    }));
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

  @Property(tries = 1500)
  void everyProofVerifies(@ForAll("scopes") ProofScope scope) throws Exception {
    byte[] encoded = TREE.prove(scope).encode();
    InclusionProof proof = InclusionProof.decode(encoded, H.nh());
    assertThat(proof.encode()).isEqualTo(encoded);
    assertThat(proof.elements()).hasSize(LogTreeMath.proofNodes(scope).size());
    VerifiedLogTree v =
        VERIFIER.verify(
            scope, leafValues(scope), retained(scope), proof, TREE.root(scope.treeSize()));
    assertThat(v.fullSubtrees()).isEqualTo(TREE.fullSubtrees(scope.treeSize()));
    if (scope.auditorSize() > 0) {
      assertThat(v.auditorRoot()).contains(TREE.root(scope.auditorSize()));
    }
  }

  @Property(tries = 300)
  void everyMutatedByteIsRejected(
      @ForAll("scopes") ProofScope scope, @ForAll @IntRange(min = 1, max = 255) int mask) {
    byte[] encoded = TREE.prove(scope).encode();
    for (int i = 0; i < encoded.length; i++) {
      byte[] mutated = encoded.clone();
      mutated[i] ^= (byte) mask;
      assertRejected(
          scope, leafValues(scope), retained(scope), mutated, TREE.root(scope.treeSize()));
    }
  }

  @Property(tries = 300)
  void aChangedRootLeafOrRetainedHeadIsRejected(
      @ForAll("scopes") ProofScope scope,
      @ForAll @IntRange(min = 0, max = 31) int position,
      @ForAll @IntRange(min = 1, max = 255) int mask,
      @ForAll long seed) {
    byte[] encoded = TREE.prove(scope).encode();
    HashValue root = TREE.root(scope.treeSize());
    assertRejected(scope, leafValues(scope), retained(scope), encoded, flip(root, position, mask));
    Random random = new Random(seed);
    List<HashValue> leaves = leafValues(scope);
    if (!leaves.isEmpty()) {
      int i = random.nextInt(leaves.size());
      leaves.set(i, flip(leaves.get(i), position, mask));
      assertRejected(scope, leaves, retained(scope), encoded, root);
    }
    FullSubtrees retained = retained(scope);
    if (retained != null) {
      List<HashValue> heads = new ArrayList<>(retained.heads());
      int i = random.nextInt(heads.size());
      heads.set(i, flip(heads.get(i), position, mask));
      assertRejected(
          scope, leafValues(scope), new FullSubtrees(retained.treeSize(), heads), encoded, root);
    }
  }

  @Property(tries = 3000)
  void decoderThrowsOnlyTheTypedException(
      @ForAll @Size(max = 300) byte[] bytes, @ForAll @IntRange(min = 1, max = 64) int hashLength) {
    try {
      InclusionProof proof = InclusionProof.decode(bytes, hashLength);
      assertThat(proof.encode()).isEqualTo(bytes);
    } catch (MalformedEncodingException expected) {
      // the only acceptable failure
    }
    try {
      LogEntry entry = LogEntry.decode(bytes, hashLength);
      assertThat(entry.encode()).isEqualTo(bytes);
    } catch (MalformedEncodingException expected) {
      // the only acceptable failure
    }
  }

  @Property(tries = 1000)
  void decoderOfSmallCountPrefixesThrowsOnlyTheTypedException(
      @ForAll @IntRange(min = 0, max = 4) int count,
      @ForAll @IntRange(min = 0, max = 140) int body) {
    byte[] bytes = new byte[2 + body];
    bytes[1] = (byte) count;
    try {
      InclusionProof proof = InclusionProof.decode(bytes, 32);
      assertThat(body).isEqualTo(32 * count);
      assertThat(proof.elements()).hasSize(count);
    } catch (MalformedEncodingException expected) {
      assertThat(body).isNotEqualTo(32 * count);
    }
  }

  static void assertRejected(
      ProofScope scope,
      List<HashValue> leaves,
      FullSubtrees retained,
      byte[] encoded,
      HashValue root) {
    InclusionProof proof;
    try {
      proof = InclusionProof.decode(encoded, H.nh());
    } catch (MalformedEncodingException e) {
      return;
    }
    assertThatThrownBy(() -> VERIFIER.verify(scope, leaves, retained, proof, root))
        .isInstanceOf(InvalidProofException.class);
  }

  static HashValue flip(HashValue value, int position, int mask) {
    byte[] b = value.toByteArray();
    b[position] ^= (byte) mask;
    return HashValue.of(b);
  }
}
