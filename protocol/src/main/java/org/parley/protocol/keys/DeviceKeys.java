package org.parley.protocol.keys;

import java.util.List;
import org.parley.protocol.Validation;

/**
 * Everything a device publishes when it joins an account (registration or linking): its identity
 * key (33-byte serialized libsignal IdentityKey), registration id, signed prekey, last-resort Kyber
 * prekey, and a first batch of one-time prekeys.
 */
public record DeviceKeys(
    int registrationId,
    byte[] identityKey,
    SignedPreKey signedPreKey,
    KyberPreKey lastResortKyberPreKey,
    List<PreKey> preKeys,
    List<KyberPreKey> kyberPreKeys) {
  public static final int MAX_BATCH = 100;

  public DeviceKeys {
    Validation.range(registrationId, "registrationId", 1, 16380);
    identityKey = Validation.key(identityKey, "identityKey", 33);
    Validation.required(signedPreKey, "signedPreKey");
    Validation.required(lastResortKyberPreKey, "lastResortKyberPreKey");
    preKeys = Validation.list(preKeys, "preKeys", MAX_BATCH);
    kyberPreKeys = Validation.list(kyberPreKeys, "kyberPreKeys", MAX_BATCH);
  }
}
