package org.parley.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.protocol.AccountId;
import org.signal.libsignal.protocol.ecc.ECPrivateKey;

class SafetyNumbersTest {
  private static IdentityPublicKey newKey() {
    return DeviceCrypto.initialize(new InMemoryProtocolState()).identityKey();
  }

  /** Fixed keys from fixed scalars, so the vector below does not depend on randomness. */
  private static IdentityPublicKey fixedKey(int seed) throws Exception {
    byte[] scalar = new byte[32];
    java.util.Arrays.fill(scalar, (byte) seed);
    return new IdentityPublicKey(new ECPrivateKey(scalar).publicKey().serialize());
  }

  @Test
  void knownVectorStaysStable() throws Exception {
    // Safety numbers must not change across libsignal upgrades or refactorings: people compare
    // them out of band. If this fails, the derivation changed; that is a protocol change.
    AccountId alice = AccountId.of("00000000-0000-4000-8000-00000000000a");
    AccountId bob = AccountId.of("00000000-0000-4000-8000-00000000000b");
    String number =
        SafetyNumbers.safetyNumber(
            alice, List.of(fixedKey(1), fixedKey(2)), bob, List.of(fixedKey(3)));
    assertThat(number).isEqualTo(VECTOR);
  }

  private static final String VECTOR =
      "592506894162546862991521093231961620729202187239628405365234";

  @Test
  void bothSidesComputeTheSameNumberOverAllDeviceKeys() {
    AccountId alice = AccountId.random();
    AccountId bob = AccountId.random();
    IdentityPublicKey a1 = newKey();
    IdentityPublicKey a2 = newKey();
    IdentityPublicKey b1 = newKey();

    String fromAlice = SafetyNumbers.safetyNumber(alice, List.of(a1, a2), bob, List.of(b1));
    String fromBob = SafetyNumbers.safetyNumber(bob, List.of(b1), alice, List.of(a2, a1));

    assertThat(fromAlice).hasSize(60).containsOnlyDigits().isEqualTo(fromBob);
    // adding, removing or replacing a device changes it
    assertThat(SafetyNumbers.safetyNumber(alice, List.of(a1), bob, List.of(b1)))
        .isNotEqualTo(fromAlice);
    assertThat(SafetyNumbers.safetyNumber(alice, List.of(a1, a2), bob, List.of(b1, newKey())))
        .isNotEqualTo(fromAlice);
    assertThat(SafetyNumbers.safetyNumber(alice, List.of(a1, a2, a2), bob, List.of(b1)))
        .isEqualTo(fromAlice);
  }
}
