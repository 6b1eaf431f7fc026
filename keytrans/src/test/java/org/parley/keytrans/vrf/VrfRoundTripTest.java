package org.parley.keytrans.vrf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Random;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.junit.jupiter.api.Test;

/** Prove and verify agree on fresh keys and inputs; keys behave as typed values. */
class VrfRoundTripTest {

  @Test
  void freshKeysAndInputsRoundTripOnBothSuites() throws VrfException {
    SecureRandom random = new SecureRandom();
    Random inputs = new Random(1);
    for (Vrf vrf : new Vrf[] {new EcVrfP256Sha256Tai(), new EcVrfEdwards25519Sha512Tai()}) {
      for (int i = 0; i < 20; i++) {
        VrfSecretKey sk = vrf.generateSecretKey(random);
        VrfPublicKey pk = vrf.publicKey(sk);
        byte[] alpha = new byte[inputs.nextInt(100)];
        inputs.nextBytes(alpha);
        VrfProof proof = vrf.prove(sk, alpha);
        assertThat(proof.bytes()).hasSize(vrf.proofLength());
        assertThat(pk.bytes()).hasSize(vrf.publicKeyLength());
        assertThat(vrf.prove(sk, alpha)).isEqualTo(proof);
        assertThat(vrf.verify(pk, alpha, proof)).isEqualTo(vrf.proofToHash(proof));
      }
    }
  }

  @Test
  void edwardsPublicKeysMatchBouncyCastleEd25519() {
    Vrf vrf = new EcVrfEdwards25519Sha512Tai();
    SecureRandom random = new SecureRandom();
    for (int i = 0; i < 50; i++) {
      VrfSecretKey sk = vrf.generateSecretKey(random);
      byte[] expected = new byte[Ed25519.PUBLIC_KEY_SIZE];
      Ed25519.generatePublicKey(sk.bytes(), 0, expected, 0);
      assertThat(vrf.publicKey(sk).bytes()).isEqualTo(expected);
    }
  }

  @Test
  void p256SecretKeysOutsideTheGroupAreRefused() {
    Vrf vrf = new EcVrfP256Sha256Tai();
    assertThatThrownBy(() -> vrf.prove(new VrfSecretKey(new byte[32]), new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
    byte[] big = new byte[32];
    java.util.Arrays.fill(big, (byte) 0xff);
    assertThatThrownBy(() -> vrf.prove(new VrfSecretKey(big), new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> vrf.prove(new VrfSecretKey(new byte[31]), new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void secretKeysNeverPrintTheirBytesAndKeysAreValues() {
    VrfSecretKey sk = new VrfSecretKey(new byte[] {1, 2, 3});
    assertThat(sk.toString()).contains("REDACTED").doesNotContain("010203");
    assertThat(sk).isEqualTo(new VrfSecretKey(new byte[] {1, 2, 3}));
    assertThat(new VrfPublicKey(new byte[] {1})).isEqualTo(new VrfPublicKey(new byte[] {1}));
    byte[] raw = {7};
    VrfProof proof = new VrfProof(raw);
    raw[0] = 8;
    assertThat(proof.bytes()).containsExactly(7);
  }
}
