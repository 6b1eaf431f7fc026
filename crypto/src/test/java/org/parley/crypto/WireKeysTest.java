package org.parley.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.keys.DeviceBundle;
import org.parley.protocol.keys.DeviceKeys;

class WireKeysTest {
  @Test
  void publishedKeysAreSignedAndABundleFromThemStartsASession() throws Exception {
    DeviceCrypto bob = DeviceCrypto.initialize(new InMemoryProtocolState());
    DeviceKeys keys = WireKeys.newDeviceKeys(bob, 3);
    assertThat(keys.preKeys()).hasSize(3);
    assertThat(keys.kyberPreKeys()).hasSize(3);
    IdentityPublicKey identity = new IdentityPublicKey(keys.identityKey());
    assertThat(identity).isEqualTo(bob.identityKey());
    var signed = keys.signedPreKey();
    assertThat(
            Signatures.verifySignedPreKey(
                identity,
                new SignedPreKeyPublic(signed.keyId(), signed.publicKey(), signed.signature())))
        .isTrue();
    assertThat(
            WireKeys.newDeviceKeys(DeviceCrypto.initialize(new InMemoryProtocolState()), 0)
                .preKeys())
        .isEmpty();

    AccountId account = AccountId.random();
    DeviceBundle wire =
        new DeviceBundle(
            DeviceId.of(1),
            keys.registrationId(),
            keys.identityKey(),
            keys.signedPreKey(),
            keys.preKeys().get(0),
            keys.kyberPreKeys().get(0));
    PreKeyBundle bundle = WireKeys.bundle(account, wire);
    assertThat(bundle.address()).isEqualTo(new RemoteAddress(account, DeviceId.of(1)));

    DeviceCrypto alice = DeviceCrypto.initialize(new InMemoryProtocolState());
    alice.trustIdentity(bundle.address(), bundle.identityKey());
    alice.startSession(bundle);
    Ciphertext first = alice.encrypt(bundle.address(), "hi".getBytes());
    assertThat(first.type()).isEqualTo(Ciphertext.Type.PREKEY_MESSAGE);
    RemoteAddress aliceAddress = new RemoteAddress(AccountId.random(), DeviceId.of(1));
    bob.trustIdentity(aliceAddress, alice.identityKey());
    assertThat(new String(bob.decrypt(aliceAddress, first))).isEqualTo("hi");
  }
}
