package org.parley.crypto;

import java.util.Objects;
import org.parley.protocol.AccountId;
import org.parley.protocol.kt.DeviceApprovalStatement;
import org.signal.libsignal.protocol.IdentityKey;
import org.signal.libsignal.protocol.InvalidKeyException;
import org.signal.libsignal.protocol.ecc.ECPublicKey;
import org.signal.libsignal.protocol.kem.KEMPublicKey;

/**
 * Stateless checks of public key material, for the server (which must reject uploaded prekeys whose
 * signature does not verify under the device's identity key, and check device-link and
 * key-transparency approvals) and for clients checking fetched bundles and the published device
 * lists. Signatures are libsignal's XEdDSA over Curve25519.
 */
public final class Signatures {
  /** Length of a serialized Curve25519 public key (a type byte 0x05, then 32 bytes). */
  public static final int EC_PUBLIC_KEY_LENGTH = 33;

  /** Length of a serialized Kyber-1024 public key (a type byte 0x08, then 1,568 bytes). */
  public static final int KYBER_PUBLIC_KEY_LENGTH = 1569;

  private static final byte EC_TYPE = 0x05;
  private static final byte KYBER_1024_TYPE = 0x08;

  private Signatures() {}

  /**
   * True if {@code signature} is a valid signature of {@code message} by the identity key. Never
   * throws on malformed input; a malformed signature is simply invalid.
   */
  public static boolean verify(IdentityPublicKey key, byte[] message, byte[] signature) {
    Objects.requireNonNull(key, "key");
    if (message == null || signature == null) {
      return false;
    }
    try {
      return new IdentityKey(key.bytes()).getPublicKey().verifySignature(message, signature);
    } catch (InvalidKeyException | RuntimeException e) {
      return false;
    }
  }

  /**
   * True if {@code signature} is {@code approver}'s approval of {@code approvedKey} as a device key
   * of {@code account} (its signature over {@link DeviceApprovalStatement}); see {@link
   * DeviceCrypto#approveDevice}. Never throws on malformed input.
   */
  public static boolean verifyDeviceApproval(
      IdentityPublicKey approver, AccountId account, byte[] approvedKey, byte[] signature) {
    Objects.requireNonNull(account, "account");
    if (approvedKey == null || approvedKey.length != EC_PUBLIC_KEY_LENGTH) {
      return false;
    }
    return verify(approver, DeviceApprovalStatement.bytes(account, approvedKey), signature);
  }

  /** True if the signed prekey is a valid EC public key signed by the identity key. */
  public static boolean verifySignedPreKey(IdentityPublicKey key, SignedPreKeyPublic preKey) {
    return isValidEcPublicKey(preKey.publicKey())
        && verify(key, preKey.publicKey(), preKey.signature());
  }

  /** True if the Kyber prekey is a valid Kyber-1024 public key signed by the identity key. */
  public static boolean verifyKyberPreKey(IdentityPublicKey key, KyberPreKeyPublic preKey) {
    return isValidKyberPublicKey(preKey.publicKey())
        && verify(key, preKey.publicKey(), preKey.signature());
  }

  /** True if the bytes are exactly one serialized Curve25519 public key. */
  public static boolean isValidEcPublicKey(byte[] bytes) {
    if (bytes == null || bytes.length != EC_PUBLIC_KEY_LENGTH || bytes[0] != EC_TYPE) {
      return false;
    }
    try {
      new ECPublicKey(bytes);
      return true;
    } catch (InvalidKeyException | RuntimeException e) {
      return false;
    }
  }

  /** True if the bytes are exactly one serialized (round-3) Kyber-1024 public key. */
  public static boolean isValidKyberPublicKey(byte[] bytes) {
    if (bytes == null || bytes.length != KYBER_PUBLIC_KEY_LENGTH || bytes[0] != KYBER_1024_TYPE) {
      return false;
    }
    try {
      new KEMPublicKey(bytes);
      return true;
    } catch (InvalidKeyException | RuntimeException e) {
      return false;
    }
  }

  /** Throws unless the signed prekey verifies under the identity key. */
  public static void requireValidSignedPreKey(IdentityPublicKey key, SignedPreKeyPublic preKey)
      throws InvalidKeyMaterialException {
    if (!verifySignedPreKey(key, preKey)) {
      throw new InvalidKeyMaterialException(
          "signed prekey " + preKey.keyId() + " is malformed or its signature does not verify");
    }
  }

  /** Throws unless the Kyber prekey verifies under the identity key. */
  public static void requireValidKyberPreKey(IdentityPublicKey key, KyberPreKeyPublic preKey)
      throws InvalidKeyMaterialException {
    if (!verifyKyberPreKey(key, preKey)) {
      throw new InvalidKeyMaterialException(
          "Kyber prekey " + preKey.keyId() + " is malformed or its signature does not verify");
    }
  }

  /** Throws unless the bytes are a serialized Curve25519 public key. */
  public static void requireValidEcPublicKey(byte[] bytes) throws InvalidKeyMaterialException {
    if (!isValidEcPublicKey(bytes)) {
      throw new InvalidKeyMaterialException("not a serialized Curve25519 public key");
    }
  }

  /** Throws unless the bytes are a serialized Kyber-1024 public key. */
  public static void requireValidKyberPublicKey(byte[] bytes) throws InvalidKeyMaterialException {
    if (!isValidKyberPublicKey(bytes)) {
      throw new InvalidKeyMaterialException("not a serialized Kyber-1024 public key");
    }
  }
}
