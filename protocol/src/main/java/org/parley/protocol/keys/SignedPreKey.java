package org.parley.protocol.keys;

import org.parley.protocol.Validation;

/** A medium-term EC prekey (Curve25519, 33-byte serialized) signed by the device identity key. */
public record SignedPreKey(int keyId, byte[] publicKey, byte[] signature) {
  public SignedPreKey {
    Validation.range(keyId, "keyId", 0, 0xFFFFFF);
    publicKey = Validation.key(publicKey, "publicKey", 33);
    signature = Validation.bytes(signature, "signature", 64, 64);
  }
}
