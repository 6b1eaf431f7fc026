package org.parley.protocol.keys;

import org.parley.protocol.Validation;

/**
 * A Kyber-1024 prekey (1,569-byte serialized public key) signed by the device identity key; either
 * one-time or the device's last-resort key, which the server hands out when no one-time key is
 * left.
 */
public record KyberPreKey(int keyId, byte[] publicKey, byte[] signature) {
  public static final int PUBLIC_KEY_LENGTH = 1569;

  public KyberPreKey {
    Validation.range(keyId, "keyId", 0, 0xFFFFFF);
    publicKey = Validation.key(publicKey, "publicKey", PUBLIC_KEY_LENGTH);
    signature = Validation.bytes(signature, "signature", 64, 64);
  }
}
