package org.parley.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.protocol.AccountId;
import org.signal.libsignal.protocol.ecc.ECPrivateKey;

/**
 * The values docs/spec/crypto.md gives an implementer are what this code computes: the
 * safety-number test vector (its input keys, each side's derived key and the 60 digits) and the
 * version of libsignal's messages on the wire.
 */
class SpecValuesTest {
  private static final Path SPEC = Path.of("..", "docs", "spec", "crypto.md");
  private static final HexFormat HEX = HexFormat.of();

  /** The public key of the scalar with every byte {@code seed} (libsignal clamps it). */
  private static IdentityPublicKey fixedKey(int seed) throws Exception {
    byte[] scalar = new byte[32];
    java.util.Arrays.fill(scalar, (byte) seed);
    return new IdentityPublicKey(new ECPrivateKey(scalar).publicKey().serialize());
  }

  @Test
  void theSafetyNumberTestVectorInTheSpecIsWhatTheCodeComputes() throws Exception {
    String spec = Files.readString(SPEC, UTF_8);
    IdentityPublicKey a1 = fixedKey(1);
    IdentityPublicKey a2 = fixedKey(2);
    IdentityPublicKey b1 = fixedKey(3);
    AccountId alice = AccountId.of("00000000-0000-4000-8000-00000000000a");
    AccountId bob = AccountId.of("00000000-0000-4000-8000-00000000000b");
    for (IdentityPublicKey key : List.of(a1, a2, b1)) {
      assertThat(spec).contains(HEX.formatHex(key.bytes()));
    }
    assertThat(spec).contains(HEX.formatHex(SafetyNumbers.combine(List.of(a1, a2)).serialize()));
    assertThat(spec).contains(HEX.formatHex(SafetyNumbers.combine(List.of(b1)).serialize()));
    String number = SafetyNumbers.safetyNumber(alice, List.of(a1, a2), bob, List.of(b1));
    assertThat(spec).contains(number);
    assertThat(SafetyNumbers.safetyNumber(bob, List.of(b1), alice, List.of(a2, a1)))
        .isEqualTo(number);
  }

  @Test
  void messagesOnTheWireAreLibsignalMessageVersion4() throws Exception {
    TestDevice alice = TestDevice.create();
    TestDevice bob = TestDevice.create();
    alice.trusts(bob);
    bob.trusts(alice);
    alice.crypto.startSession(bob.bundle(true, true));
    Ciphertext first = alice.crypto.encrypt(bob.address, "x".getBytes(UTF_8));
    bob.crypto.decrypt(alice.address, first);
    Ciphertext reply = bob.crypto.encrypt(alice.address, "y".getBytes(UTF_8));
    // the first byte is (message version << 4) | current version, as crypto.md says
    assertThat(first.body()[0]).isEqualTo((byte) 0x44);
    assertThat(reply.body()[0]).isEqualTo((byte) 0x44);
    assertThat(Files.readString(SPEC, UTF_8)).contains("`0x44`");
  }
}
