package org.parley.keytrans.prefix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.parley.keytrans.log.HashValue;
import org.parley.keytrans.log.InvalidProofException;
import org.parley.keytrans.suite.CipherSuite;

class PrefixTreeTest {
  static final CipherSuite SUITE = CipherSuite.defaultSuite();
  static final PrefixVerifier VERIFIER = new PrefixVerifier(SUITE);

  /** A key whose first bits are {@code bits} (a string of 0 and 1) and the rest {@code fill}. */
  static SearchKey key(String bits, int fill) {
    byte[] b = new byte[32];
    java.util.Arrays.fill(b, (byte) fill);
    for (int i = 0; i < bits.length(); i++) {
      int mask = 0x80 >>> (i & 7);
      b[i >>> 3] = (byte) (bits.charAt(i) == '1' ? b[i >>> 3] | mask : b[i >>> 3] & ~mask);
    }
    return SearchKey.of(b);
  }

  static HashValue commitment(int n) {
    byte[] b = new byte[32];
    b[0] = (byte) n;
    b[31] = 1;
    return HashValue.of(b);
  }

  @Test
  void emptyTreeRootIsAllZeros() throws Exception {
    PrefixTree empty = PrefixTree.empty(SUITE);
    assertThat(empty.root().toByteArray()).isEqualTo(new byte[32]);
    assertThat(empty.size()).isZero();
    assertThat(empty.search(key("0", 0))).isEqualTo(new PrefixSearchResult.NonInclusionParent(0));
    PrefixProof proof = empty.prove(List.of(key("0", 0)));
    assertThat(proof.elements()).isEmpty();
    VERIFIER.verify(List.of(PrefixSearch.absent(key("0", 0))), proof, empty.root());
  }

  @Test
  void aSingleKeyIsTheRoot() throws Exception {
    SearchKey k = key("1", 0x55);
    PrefixTree t = PrefixTree.empty(SUITE).put(k, commitment(1));
    byte[] leaf = SUITE.hash(new byte[] {2}, k.toByteArray(), commitment(1).toByteArray());
    assertThat(t.root().toByteArray()).isEqualTo(leaf);
    assertThat(t.search(k)).isEqualTo(new PrefixSearchResult.Inclusion(0));
    assertThat(t.get(k)).contains(commitment(1));
    SearchKey other = key("0", 0x55);
    PrefixProof proof = t.prove(List.of(k, other));
    assertThat(proof.results())
        .containsExactly(
            new PrefixSearchResult.Inclusion(0),
            new PrefixSearchResult.NonInclusionLeaf(new PrefixLeaf(k, commitment(1)), 0));
    assertThat(proof.elements()).isEmpty();
    VERIFIER.verify(
        List.of(PrefixSearch.present(k, commitment(1)), PrefixSearch.absent(other)),
        proof,
        t.root());
    PrefixTree two = t.put(other, commitment(2));
    assertThat(two.root().toByteArray())
        .isEqualTo(
            SUITE.hash(
                new byte[] {3},
                SUITE.hash(new byte[] {2}, other.toByteArray(), commitment(2).toByteArray()),
                leaf));
  }

  @Test
  void reproducesTheDraftFigures() throws Exception {
    // draft "Tree Construction / Prefix Tree": keys 00010 00101 10001 10111 11011, then 01101.
    String[] bits = {"00010", "00101", "10001", "10111", "11011"};
    Map<SearchKey, HashValue> m = new HashMap<>();
    for (int i = 0; i < bits.length; i++) {
      m.put(key(bits[i], 0), commitment(i));
    }
    PrefixTree t = PrefixTree.empty(SUITE).putAll(m);
    int[] depths = {3, 3, 3, 3, 2};
    for (int i = 0; i < bits.length; i++) {
      assertThat(t.search(key(bits[i], 0))).isEqualTo(new PrefixSearchResult.Inclusion(depths[i]));
    }
    assertThat(t.search(key("01101", 0))).isEqualTo(new PrefixSearchResult.NonInclusionParent(2));
    PrefixSearchResult other = t.search(key("11000", 0));
    assertThat(other)
        .isEqualTo(
            new PrefixSearchResult.NonInclusionLeaf(
                new PrefixLeaf(key("11011", 0), commitment(4)), 2));

    PrefixTree after = t.put(key("01101", 0), commitment(9));
    assertThat(after.search(key("01101", 0))).isEqualTo(new PrefixSearchResult.Inclusion(2));
    assertThat(after.search(key("00010", 0))).isEqualTo(new PrefixSearchResult.Inclusion(3));
    assertThat(t.size()).isEqualTo(5);
    assertThat(after.size()).isEqualTo(6);
    m.put(key("01101", 0), commitment(9));
    assertThat(after.root()).isEqualTo(BruteForcePrefixTree.root(SUITE, m));

    // The proof for 01101 in the first tree: copath of depth 1 (node "1"), stand-in at depth 2.
    PrefixProof proof = t.prove(List.of(key("01101", 0)));
    assertThat(proof.elements()).hasSize(2);
    // Known answers, computed independently (a short Python model of the draft's definitions).
    HexFormat hex = HexFormat.of();
    assertThat(t.root().toString())
        .isEqualTo("975e9217ba8c5088134a09adc6699166edc0fe5fe4b8621e4eba41c4f126371c");
    assertThat(after.root().toString())
        .isEqualTo("1d218755e4c8c3cea39c9bb3487c9933f36d5491547ad91eebc90ec87e6a9a18");
    assertThat(hex.formatHex(proof.encode()))
        .isEqualTo(
            "0103020002"
                + "8df1f6072ad4c4ed532e94309bf1c7276ce6732f31a73697b0516551024321e5"
                + "564131bf2efc100c57f44de396b05d3b55b31cbf0269525b7b93db24a41b8a96");
    VERIFIER.verify(List.of(PrefixSearch.absent(key("01101", 0))), proof, t.root());
  }

  @Test
  void updatingAKeyReplacesItsCommitment() {
    SearchKey a = key("0", 1);
    SearchKey b = key("1", 2);
    PrefixTree t1 = PrefixTree.empty(SUITE).put(a, commitment(1)).put(b, commitment(2));
    PrefixTree t2 = t1.put(a, commitment(3));
    assertThat(t2.size()).isEqualTo(2);
    assertThat(t2.get(a)).contains(commitment(3));
    assertThat(t1.get(a)).contains(commitment(1));
    assertThat(t2.root())
        .isEqualTo(BruteForcePrefixTree.root(SUITE, Map.of(a, commitment(3), b, commitment(2))));
  }

  @Test
  void keysSharing255BitsAreRefused() {
    byte[] x = new byte[32];
    byte[] y = new byte[32];
    y[31] = 1;
    PrefixTree t = PrefixTree.empty(SUITE).put(SearchKey.of(x), commitment(1));
    assertThatThrownBy(() -> t.put(SearchKey.of(y), commitment(2)))
        .isInstanceOf(IllegalArgumentException.class);
    y[31] = 2; // shares 254 bits: leaves at depth 255, the deepest a uint8 carries
    PrefixTree u = t.put(SearchKey.of(y), commitment(2));
    assertThat(u.search(SearchKey.of(y))).isEqualTo(new PrefixSearchResult.Inclusion(255));
  }

  @Test
  void emptyBatchProvesTheRootAlone() throws Exception {
    PrefixTree t = PrefixTree.empty(SUITE).put(key("1", 7), commitment(1));
    PrefixProof proof = t.prove(List.of());
    assertThat(proof.elements()).containsExactly(t.root());
    assertThat(proof.encode()).hasSize(3 + 32);
    VERIFIER.verify(List.of(), proof, t.root());
  }

  @Test
  void wrongExpectationsAreRejected() {
    SearchKey a = key("0", 1);
    PrefixTree t = PrefixTree.empty(SUITE).put(a, commitment(1)).put(key("1", 2), commitment(2));
    PrefixProof proof = t.prove(List.of(a));
    assertThatThrownBy(() -> VERIFIER.verify(List.of(PrefixSearch.absent(a)), proof, t.root()))
        .isInstanceOf(InvalidProofException.class);
    assertThatThrownBy(
            () -> VERIFIER.verify(List.of(PrefixSearch.present(a, commitment(2))), proof, t.root()))
        .isInstanceOf(InvalidProofException.class);
    assertThatThrownBy(() -> VERIFIER.verify(List.of(), proof, t.root()))
        .isInstanceOf(InvalidProofException.class);
  }

  @Test
  void aBatchOnTopOfALargeTreeEqualsBuildingEverythingAtOnceAndLeavesTheOldVersionIntact() {
    // How fast an epoch is belongs in bench; here only that a batch on a big tree is right.
    Random random = new Random(7);
    Map<SearchKey, HashValue> first = randomEntries(random, 20_000);
    Map<SearchKey, HashValue> epoch = randomEntries(random, 2_000);
    PrefixTree before = PrefixTree.empty(SUITE).putAll(first);
    HashValue rootBefore = before.root();
    PrefixTree after = before.putAll(epoch);
    Map<SearchKey, HashValue> all = new HashMap<>(first);
    all.putAll(epoch);
    assertThat(after.root()).isEqualTo(PrefixTree.empty(SUITE).putAll(all).root());
    assertThat(after.size()).isEqualTo(all.size());
    assertThat(before.root()).isEqualTo(rootBefore);
    assertThat(before.size()).isEqualTo(first.size());
  }

  static Map<SearchKey, HashValue> randomEntries(Random random, int n) {
    Map<SearchKey, HashValue> m = new HashMap<>();
    while (m.size() < n) {
      byte[] k = new byte[32];
      byte[] c = new byte[32];
      random.nextBytes(k);
      random.nextBytes(c);
      m.put(SearchKey.of(k), HashValue.of(c));
    }
    return m;
  }
}
