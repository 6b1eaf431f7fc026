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
import org.parley.keytrans.prefix.PrefixProof;
import org.parley.keytrans.prefix.PrefixSearchResult;

/**
 * A combined proof's prefix proofs send a repeated element as an index (docs/spec/keytrans.md,
 * "Repeated elements"): they decode to the same proof, and only the canonical form decodes.
 */
class CombinedTreeProofEncodingTest {

  private static HashValue value(int n) {
    byte[] b = new byte[32];
    b[0] = (byte) n;
    b[31] = (byte) (n >> 8);
    return HashValue.of(b);
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
  void aZeroValueRepeatedWithinOneProofIsAnIndexToo() throws Exception {
    CombinedTreeProof proof = combined(proof(0, 0, 0, 7));
    assertThat(CombinedTreeProof.decode(proof.encode())).isEqualTo(proof);
    // 1 + 2 result, 2 count, 1 flag byte, 2 values, 2 one-byte indices
    assertThat(proof.prefixProofs().getFirst().encodeCompact(new ElementDictionary()))
        .hasSize(3 + 2 + 1 + 2 * 32 + 2);
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
    assertThat(encoded[second + 8]).isEqualTo((byte) 0x01); // 300 is value 299: 0x012b
    assertThat(encoded[second + 9]).isEqualTo((byte) 0x2b);
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
