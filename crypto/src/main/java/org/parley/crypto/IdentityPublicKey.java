package org.parley.crypto;

import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The public identity key of one device: libsignal's serialized {@code IdentityKey} (33 bytes, a
 * type byte 0x05 followed by a Curve25519 point).
 *
 * <p>In Parley every device has its own identity key (iMessage's way, not Signal's shared account
 * key): a new device never receives another device's private key, and removing a device revokes its
 * key. The bytes are checked to parse as a public key when the record is built.
 */
public record IdentityPublicKey(byte[] bytes) {
  /** Length of a serialized identity key. */
  public static final int LENGTH = 33;

  /**
   * @throws IllegalArgumentException if the bytes are not a serialized Curve25519 public key
   */
  public IdentityPublicKey {
    bytes = Bytes.copy(bytes, "bytes");
    if (!Signatures.isValidEcPublicKey(bytes)) {
      throw new IllegalArgumentException("not a serialized identity key");
    }
  }

  /** Parses untrusted bytes, throwing a checked exception instead of an unchecked one. */
  public static IdentityPublicKey parse(byte[] bytes) throws InvalidKeyMaterialException {
    if (bytes == null || !Signatures.isValidEcPublicKey(bytes)) {
      throw new InvalidKeyMaterialException("not a serialized identity key");
    }
    return new IdentityPublicKey(bytes);
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IdentityPublicKey other && MessageDigest.isEqual(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "IdentityPublicKey[" + Bytes.preview(bytes) + "]";
  }
}
