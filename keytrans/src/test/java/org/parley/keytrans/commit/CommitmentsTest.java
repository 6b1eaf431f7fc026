package org.parley.keytrans.commit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.parley.keytrans.head.DeploymentMode;
import org.parley.keytrans.log.MalformedEncodingException;
import org.parley.keytrans.suite.CipherSuite;

/**
 * Commitments and VRF inputs: byte layouts written out by hand from the draft's {@code
 * CommitmentValue} and {@code VrfInput}; HMAC results computed with an independent HMAC-SHA256.
 */
class CommitmentsTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final Opening OPENING =
      Opening.of(HEX.parseHex("000102030405060708090a0b0c0d0e0f"));
  private static final Label ALICE = new Label("alice".getBytes(StandardCharsets.US_ASCII));
  private static final byte[] KEY = "key".getBytes(StandardCharsets.US_ASCII);

  @Test
  void commitmentKnownAnswer() {
    String value =
        "000102030405060708090a0b0c0d0e0f" // opening[Nc]
            + "05"
            + "616c696365" // label<0..2^8-1>: count 5, "alice"
            + "00000003" // uint32 version 3
            + "00000003"
            + "6b6579"; // UpdateValue.value<0..2^32-1>: count 3, "key"; empty suffix
    UpdateValue update = UpdateValue.of(KEY);
    assertThat(HEX.formatHex(Commitments.commitmentValue(OPENING, ALICE, 3, update)))
        .isEqualTo(value);
    for (CipherSuite suite :
        new CipherSuite[] {CipherSuite.KT_128_SHA256_P256, CipherSuite.KT_128_SHA256_Ed25519}) {
      Commitment commitment = Commitments.commit(suite, OPENING, ALICE, 3, update);
      assertThat(commitment.toString())
          .isEqualTo("eb5a5b88d4c9e33394c28de7ec02f8eac0297872d5c9646b469a8025fee3d55b");
      assertThat(Commitments.opens(suite, commitment, OPENING, ALICE, 3, update)).isTrue();
    }
  }

  @Test
  void signedSuffixAndEdgeKnownAnswers() {
    UpdateValue signed = UpdateValue.signed(KEY, HEX.parseHex("deadbeef"));
    assertThat(HEX.formatHex(signed.encode()))
        .isEqualTo("00000003" + "6b6579" + "0004" + "deadbeef");
    assertThat(
            Commitments.commit(CipherSuite.KT_128_SHA256_Ed25519, OPENING, ALICE, 3, signed)
                .toString())
        .isEqualTo("ace7aa11a2e3de57a66ed4fbc7a4eb3f8ed3edab29cdc6ca9bd6ae7671b9f157");
    Opening zero = Opening.of(new byte[16]);
    UpdateValue empty = UpdateValue.of(new byte[0]);
    assertThat(
            HEX.formatHex(
                Commitments.commitmentValue(zero, new Label(new byte[0]), 0xFFFF_FFFFL, empty)))
        .isEqualTo("00000000000000000000000000000000" + "00" + "ffffffff" + "00000000");
    assertThat(
            Commitments.commit(
                    CipherSuite.KT_128_SHA256_P256,
                    zero,
                    new Label(new byte[0]),
                    0xFFFF_FFFFL,
                    empty)
                .toString())
        .isEqualTo("ffc7c018f95c680219d716673ec1eb18a2eae639e5ac920866c18b23efc5e86b");
  }

  @Test
  void vrfInputKnownAnswer() {
    assertThat(HEX.formatHex(VrfInput.of(ALICE, 3).encode()))
        .isEqualTo("05616c696365" + "00000003");
    assertThat(HEX.formatHex(VrfInput.of(new Label(new byte[255]), 0xFFFF_FFFFL).encode()))
        .isEqualTo("ff" + "00".repeat(255) + "ffffffff");
    assertThatThrownBy(() -> VrfInput.of(ALICE, -1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> VrfInput.of(ALICE, 1L << 32))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Label(new byte[256])).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anyChangedInputGivesAnotherCommitment() {
    CipherSuite suite = CipherSuite.defaultSuite();
    UpdateValue update = UpdateValue.of(KEY);
    Commitment commitment = Commitments.commit(suite, OPENING, ALICE, 3, update);
    byte[] otherOpening = OPENING.bytes();
    otherOpening[15] ^= 1;
    assertThat(Commitments.opens(suite, commitment, Opening.of(otherOpening), ALICE, 3, update))
        .isFalse();
    assertThat(
            Commitments.opens(suite, commitment, OPENING, new Label("alicf".getBytes()), 3, update))
        .isFalse();
    assertThat(Commitments.opens(suite, commitment, OPENING, ALICE, 4, update)).isFalse();
    assertThat(
            Commitments.opens(
                suite, commitment, OPENING, ALICE, 3, UpdateValue.of("kez".getBytes())))
        .isFalse();
    assertThat(
            Commitments.opens(
                suite, commitment, OPENING, ALICE, 3, UpdateValue.signed(KEY, new byte[0])))
        .isFalse();
  }

  @Test
  void openingsAreRandomSecretAndFixedLength() {
    SecureRandom random = new SecureRandom();
    Opening a = Opening.random(random);
    Opening b = Opening.random(random);
    assertThat(a.bytes()).hasSize(16);
    assertThat(a).isNotEqualTo(b).isEqualTo(Opening.of(a.bytes()));
    assertThat(a.toString()).isEqualTo("Opening[REDACTED]");
    assertThatThrownBy(() -> Opening.of(new byte[15])).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Opening.of(new byte[17])).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void updateValuesRoundTripAndDecodeStrictly() throws MalformedEncodingException {
    UpdateValue plain = UpdateValue.of(KEY);
    UpdateValue signed = UpdateValue.signed(KEY, new byte[64]);
    assertThat(UpdateValue.decode(plain.encode(), DeploymentMode.CONTACT_MONITORING))
        .isEqualTo(plain);
    assertThat(UpdateValue.decode(plain.encode(), DeploymentMode.THIRD_PARTY_AUDITING))
        .isEqualTo(plain);
    assertThat(UpdateValue.decode(signed.encode(), DeploymentMode.THIRD_PARTY_MANAGEMENT))
        .isEqualTo(signed);
    assertThatThrownBy(() -> UpdateValue.decode(signed.encode(), DeploymentMode.CONTACT_MONITORING))
        .isInstanceOf(MalformedEncodingException.class);
    assertThatThrownBy(
            () -> UpdateValue.decode(plain.encode(), DeploymentMode.THIRD_PARTY_MANAGEMENT))
        .isInstanceOf(MalformedEncodingException.class);
    // A count of 2^32-1 with three bytes behind it is refused before anything is allocated.
    assertThatThrownBy(
            () ->
                UpdateValue.decode(
                    HEX.parseHex("ffffffff010203"), DeploymentMode.CONTACT_MONITORING))
        .isInstanceOf(MalformedEncodingException.class);

    Random random = new Random(11);
    byte[][] seeds = {plain.encode(), signed.encode()};
    for (int i = 0; i < 10_000; i++) {
      byte[] input;
      if (random.nextBoolean()) {
        input = new byte[random.nextInt(80)];
        random.nextBytes(input);
      } else {
        byte[] seed = seeds[random.nextInt(2)];
        input =
            Arrays.copyOf(
                seed, random.nextInt(4) == 0 ? random.nextInt(seed.length + 2) : seed.length);
        if (input.length > 0) {
          input[random.nextInt(input.length)] = (byte) random.nextInt(256);
        }
      }
      for (DeploymentMode mode : DeploymentMode.values()) {
        try {
          UpdateValue.decode(input, mode);
        } catch (MalformedEncodingException expected) {
          // the typed refusal
        } catch (RuntimeException e) {
          fail("decode threw " + e);
        }
      }
    }
  }
}
