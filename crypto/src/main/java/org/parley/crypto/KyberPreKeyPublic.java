package org.parley.crypto;

import java.util.Arrays;

/**
 * The public half of a signed Kyber-1024 prekey (one-time or last-resort): the serialized KEM
 * public key (1,569 bytes: a type byte then the round-3 Kyber-1024 key) and the device identity
 * key's XEdDSA signature over those bytes. Verify with {@link Signatures#verifyKyberPreKey}.
 */
public record KyberPreKeyPublic(int keyId, byte[] publicKey, byte[] signature) {
  public KyberPreKeyPublic {
    publicKey = Bytes.copy(publicKey, "publicKey");
    signature = Bytes.copy(signature, "signature");
  }

  @Override
  public byte[] publicKey() {
    return publicKey.clone();
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KyberPreKeyPublic other
        && keyId == other.keyId
        && Arrays.equals(publicKey, other.publicKey)
        && Arrays.equals(signature, other.signature);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * keyId + Arrays.hashCode(publicKey)) + Arrays.hashCode(signature);
  }

  @Override
  public String toString() {
    return "KyberPreKeyPublic[keyId=" + keyId + ", publicKey=" + Bytes.preview(publicKey) + "]";
  }
}
