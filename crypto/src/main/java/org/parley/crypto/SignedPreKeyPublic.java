package org.parley.crypto;

import java.util.Arrays;

/**
 * The public half of a signed EC prekey: the serialized Curve25519 key (33 bytes) and the device
 * identity key's XEdDSA signature over those bytes. Verify with {@link
 * Signatures#verifySignedPreKey}.
 */
public record SignedPreKeyPublic(int keyId, byte[] publicKey, byte[] signature) {
  public SignedPreKeyPublic {
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
    return o instanceof SignedPreKeyPublic other
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
    return "SignedPreKeyPublic[keyId=" + keyId + ", publicKey=" + Bytes.preview(publicKey) + "]";
  }
}
