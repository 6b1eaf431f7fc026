package org.parley.keytrans.combined;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.parley.keytrans.log.HashValue;
import org.parley.keytrans.log.InclusionProof;
import org.parley.keytrans.log.MalformedEncodingException;
import org.parley.keytrans.prefix.ElementDictionary;
import org.parley.keytrans.prefix.PrefixLeaf;
import org.parley.keytrans.prefix.PrefixProof;
import org.parley.keytrans.prefix.PrefixSearchResult;
import org.parley.keytrans.prefix.SearchKey;

/**
 * A combined proof's prefix proofs send a repeated element, the zero value and a repeated
 * nonInclusionLeaf leaf as indices, and its timestamps as varint differences
 * (docs/spec/keytrans.md, "Repeated elements"): they decode to the same proof, and only the
 * canonical form decodes.
 */
class CombinedTreeProofEncodingTest {

  private static HashValue value(int n) {
    byte[] b = new byte[32];
    b[0] = (byte) n;
    b[31] = (byte) (n >> 8);
    return HashValue.of(b);
  }

  private static PrefixSearchResult.NonInclusionLeaf leaf(int n, int depth) {
    byte[] key = new byte[32];
    key[1] = (byte) n;
    return new PrefixSearchResult.NonInclusionLeaf(
        new PrefixLeaf(SearchKey.of(key), value(n + 1)), depth);
  }

  private static PrefixProof withResults(List<PrefixSearchResult> results, int... elements) {
    List<HashValue> values = new ArrayList<>();
    for (int e : elements) {
      values.add(value(e));
    }
    return new PrefixProof(results, values);
  }

  private static PrefixProof proof(int... elements) {
    List<HashValue> values = new ArrayList<>();
    for (int e : elements) {
      values.add(value(e));
    }
    return new PrefixProof(List.of(new PrefixSearchResult.NonInclusionParent(3)), values);
  }

  private static CombinedTreeProof combined(PrefixProof... proofs) {
    return new CombinedTreeProof(
        List.of(5L, 7L), List.of(proofs), List.of(value(900)), new InclusionProof(List.of()));
  }

  @Test
  void repeatedElementsCostTwoBytesAndDecodeToTheSameProof() throws Exception {
    CombinedTreeProof plainOnly = combined(proof(1, 2, 3), proof(4, 5, 6));
    CombinedTreeProof repeating = combined(proof(1, 2, 3), proof(1, 2, 6));
    assertThat(CombinedTreeProof.decode(repeating.encode())).isEqualTo(repeating);
    assertThat(CombinedTreeProof.decode(plainOnly.encode())).isEqualTo(plainOnly);
    assertThat(plainOnly.encode().length - repeating.encode().length).isEqualTo(2 * 31);
  }

  @Test
  void theZeroValueIsAlwaysAnIndexAndAValueRepeatedWithinOneProofToo() throws Exception {
    CombinedTreeProof proof = combined(proof(0, 0, 7, 7));
    assertThat(CombinedTreeProof.decode(proof.encode())).isEqualTo(proof);
    // 1 + 2 result, 2 count, 1 flag byte, 1 value, 3 one-byte indices
    byte[] compact = proof.prefixProofs().getFirst().encodeCompact(new ElementDictionary());
    assertThat(compact).hasSize(3 + 2 + 1 + 32 + 3);
    assertThat(compact[5]).isEqualTo((byte) 0xd0); // elements 0, 1 and 3 are indices
    assertThat(compact[6]).isEqualTo((byte) 0); // the zero value is index 0
    assertThat(compact[compact.length - 1]).isEqualTo((byte) 1); // 7 was the first value sent
  }

  @Test
  void aLeafSentBeforeIsAnIndexAtItsOwnDepth() throws Exception {
    CombinedTreeProof proof =
        combined(
            withResults(List.of(leaf(1, 4), leaf(2, 5)), 3),
            withResults(List.of(leaf(2, 6), leaf(1, 4), leaf(3, 4)), 3));
    byte[] encoded = proof.encode();
    assertThat(CombinedTreeProof.decode(encoded)).isEqualTo(proof);
    CombinedTreeProof fresh =
        combined(
            withResults(List.of(leaf(1, 4), leaf(2, 5)), 3),
            withResults(List.of(leaf(5, 6), leaf(6, 4), leaf(3, 4)), 3));
    // two leaves of 64 bytes sent as u8 4 | u8 index | u8 depth instead of u8 2 | 64 | u8 depth
    assertThat(fresh.encode().length - encoded.length).isEqualTo(2 * 63);
    // the second proof starts: u8 3, u8 4, u8 1 (leaf 2 was sent second), u8 6
    int second = 1 + 2 + 1 + (1 + 2 * 66 + 2 + 1 + 32);
    assertThat(Arrays.copyOfRange(encoded, second, second + 7))
        .containsExactly(3, 4, 1, 6, 4, 0, 4);
  }

  @Test
  void aLeafOrZeroSentInFullWhenAnIndexWouldDoOrADanglingLeafIndexIsRejected() {
    CombinedTreeProof proof =
        combined(withResults(List.of(leaf(1, 4)), 3), withResults(List.of(leaf(1, 4)), 3));
    byte[] encoded = proof.encode();
    int second = 1 + 2 + 1 + (1 + 66 + 2 + 1 + 32);
    assertThat(encoded[second + 1]).isEqualTo((byte) 4);
    byte[] dangling = encoded.clone();
    dangling[second + 2] = 1; // only leaf 0 was sent
    assertThatThrownBy(() -> CombinedTreeProof.decode(dangling))
        .isInstanceOf(MalformedEncodingException.class)
        .hasMessageContaining("no earlier leaf");

    // the same leaf in full twice: splice the first proof's result in place of the reference
    byte[] twice = new byte[encoded.length + 63];
    System.arraycopy(encoded, 0, twice, 0, second + 1);
    System.arraycopy(encoded, 4 + 1, twice, second + 1, 66);
    System.arraycopy(encoded, second + 4, twice, second + 67, encoded.length - second - 4);
    assertThatThrownBy(() -> CombinedTreeProof.decode(twice))
        .isInstanceOf(MalformedEncodingException.class)
        .hasMessageContaining("not canonical");

    byte[] zeroInFull = combined(proof(5)).encode();
    int element = 1 + 2 + 1 + 3 + 2 + 1;
    Arrays.fill(zeroInFull, element, element + 32, (byte) 0);
    assertThatThrownBy(() -> CombinedTreeProof.decode(zeroInFull))
        .isInstanceOf(MalformedEncodingException.class)
        .hasMessageContaining("not canonical");
  }

  @Test
  void timestampsAreZigzagDifferencesInTheirShortestVarint() throws Exception {
    long t = 1_800_000_000_000L;
    CombinedTreeProof proof =
        new CombinedTreeProof(
            List.of(t, t - 60_000, t + 3, -1L, 0L),
            List.of(),
            List.of(),
            new InclusionProof(List.of()));
    byte[] encoded = proof.encode();
    assertThat(CombinedTreeProof.decode(encoded)).isEqualTo(proof);
    // t: 6 bytes; -60,000: zigzag 119,999, 3 bytes; +60,003: 3 bytes; -1 - (t + 3): zigzag
    // 2t + 7, 6 bytes; +1: 1 byte
    assertThat(encoded[0]).isEqualTo((byte) 5);
    assertThat(encoded.length).isEqualTo(1 + 6 + 3 + 3 + 6 + 1 + 1 + 1 + 2);
    assertThat(encoded[1 + 6 + 3 + 3 + 6]).isEqualTo((byte) 2); // zigzag(+1)

    byte[] padded = new byte[encoded.length + 1]; // +1 written as 0x82 0x00: not the shortest
    System.arraycopy(encoded, 0, padded, 0, 19);
    padded[19] = (byte) 0x82;
    padded[20] = 0;
    System.arraycopy(encoded, 20, padded, 21, encoded.length - 20);
    assertThatThrownBy(() -> CombinedTreeProof.decode(padded))
        .isInstanceOf(MalformedEncodingException.class)
        .hasMessageContaining("shortest");

    byte[] tooLong = {1, (byte) 0xff, -1, -1, -1, -1, -1, -1, -1, -1, 0x02, 0, 0, 0, 0};
    assertThatThrownBy(() -> CombinedTreeProof.decode(tooLong))
        .isInstanceOf(MalformedEncodingException.class)
        .hasMessageContaining("64 bits");
  }

  @Test
  void nonCanonicalOrDanglingReferencesAreRejected() {
    byte[] encoded = combined(proof(1, 2), proof(1)).encode();
    // the second proof: u8 1, result (2 bytes), u16 1, flags 0x80, u8 index 0
    int second = encoded.length - (1 + 32) - 2 - 7;
    assertThat(encoded[second + 5]).isEqualTo((byte) 0x80);

    byte[] dangling = encoded.clone();
    dangling[second + 6] = 9; // index 9: only 2 values sent
    assertThatThrownBy(() -> CombinedTreeProof.decode(dangling))
        .isInstanceOf(MalformedEncodingException.class)
        .hasMessageContaining("no earlier");

    byte[] strayFlag = encoded.clone();
    strayFlag[second + 5] = (byte) 0xc0; // a flag for an element that does not exist
    assertThatThrownBy(() -> CombinedTreeProof.decode(strayFlag))
        .isInstanceOf(MalformedEncodingException.class);

    // the same value sent in full a second time
    CombinedTreeProof twice = combined(proof(1, 2), proof(3));
    byte[] full = twice.encode();
    int at = full.length - (1 + 32) - 2 - 32;
    System.arraycopy(value(1).toByteArray(), 0, full, at, 32);
    assertThatThrownBy(() -> CombinedTreeProof.decode(full))
        .isInstanceOf(MalformedEncodingException.class)
        .hasMessageContaining("not canonical");
  }

  /** Past 256 values sent in full, an index takes two bytes. */
  @Test
  void indicesWidenPastTwoHundredAndFiftySixValues() throws Exception {
    int[] many = new int[300];
    java.util.Arrays.setAll(many, i -> i + 1);
    CombinedTreeProof proof = combined(proof(many), proof(1, 300));
    byte[] encoded = proof.encode();
    assertThat(CombinedTreeProof.decode(encoded)).isEqualTo(proof);
    // the second proof: u8 1, result, u16 2, one flag byte 0xc0, two u16 indices
    int second = encoded.length - (1 + 32) - 2 - (3 + 2 + 1 + 4);
    assertThat(encoded[second + 5]).isEqualTo((byte) 0xc0);
    // index 0 is the zero value, so the 300th value sent is index 300: 0x012c
    assertThat(encoded[second + 8]).isEqualTo((byte) 0x01);
    assertThat(encoded[second + 9]).isEqualTo((byte) 0x2c);
  }

  @Property(tries = 300)
  void anyProofsRoundTrip(@ForAll @IntRange(min = 0, max = 1_000_000) int seed) throws Exception {
    Random random = new Random(seed);
    List<PrefixProof> proofs = new ArrayList<>();
    for (int p = random.nextInt(5); p >= 0; p--) {
      int[] elements = new int[random.nextInt(20)];
      Arrays.setAll(elements, i -> random.nextInt(12));
      proofs.add(proof(elements));
    }
    CombinedTreeProof proof = combined(proofs.toArray(PrefixProof[]::new));
    byte[] encoded = proof.encode();
    assertThat(CombinedTreeProof.decode(encoded)).isEqualTo(proof);
    assertThat(CombinedTreeProof.decode(encoded).encode()).isEqualTo(encoded);
  }
}
