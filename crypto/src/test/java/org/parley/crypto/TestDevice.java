package org.parley.crypto;

import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;

/** A device in tests: its address, in-memory state and crypto, and a way to publish a bundle. */
final class TestDevice {
  final RemoteAddress address;
  final InMemoryProtocolState state;
  DeviceCrypto crypto;
  private SignedPreKeyPublic signedPreKey;
  private KyberPreKeyPublic lastResort;

  TestDevice(RemoteAddress address) {
    this.address = address;
    this.state = new InMemoryProtocolState();
    this.crypto = DeviceCrypto.initialize(state);
  }

  static TestDevice create() {
    return new TestDevice(new RemoteAddress(AccountId.random(), DeviceId.of(1)));
  }

  /** A bundle as the server would hand it out: with or without one-time keys. */
  PreKeyBundle bundle(boolean oneTimeEcPreKey, boolean oneTimeKyberPreKey) {
    if (signedPreKey == null) {
      signedPreKey = crypto.newSignedPreKey();
      lastResort = crypto.newLastResortKyberPreKey();
    }
    return new PreKeyBundle(
        address,
        crypto.registrationId(),
        crypto.identityKey(),
        signedPreKey,
        oneTimeEcPreKey ? crypto.newPreKeys(1).getFirst() : null,
        oneTimeKyberPreKey ? crypto.newKyberPreKeys(1).getFirst() : lastResort);
  }

  /** Trusts {@code other}'s identity key, as the client does once the log proved it. */
  void trusts(TestDevice other) throws IdentityChangedException {
    crypto.trustIdentity(other.address, other.crypto.identityKey());
  }

  KyberPreKeyPublic lastResort() {
    return lastResort;
  }
}
