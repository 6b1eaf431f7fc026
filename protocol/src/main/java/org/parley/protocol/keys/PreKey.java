package org.parley.protocol.keys;

import org.parley.protocol.Validation;

/** A one-time EC prekey (Curve25519, 33-byte serialized); unsigned, used at most once. */
public record PreKey(int keyId, byte[] publicKey) {
  public PreKey {
    Validation.range(keyId, "keyId", 0, 0xFFFFFF);
    publicKey = Validation.key(publicKey, "publicKey", 33);
  }
}
