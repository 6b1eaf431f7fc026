package org.parley.crypto;

import java.util.Arrays;

/** The public half of a one-time EC prekey: its id and serialized Curve25519 key (33 bytes). */
public record PreKeyPublic(int keyId, byte[] publicKey) {
  public PreKeyPublic {
    publicKey = Bytes.copy(publicKey, "publicKey");
  }

  @Override
  public byte[] publicKey() {
    return publicKey.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PreKeyPublic other
        && keyId == other.keyId
        && Arrays.equals(publicKey, other.publicKey);
  }

  @Override
  public int hashCode() {
    return 31 * keyId + Arrays.hashCode(publicKey);
  }

  @Override
  public String toString() {
    return "PreKeyPublic[keyId=" + keyId + ", publicKey=" + Bytes.preview(publicKey) + "]";
  }
}
