package org.parley.server.prekey;

import java.util.List;
import org.parley.crypto.IdentityPublicKey;
import org.parley.crypto.InvalidKeyMaterialException;
import org.parley.crypto.KyberPreKeyPublic;
import org.parley.crypto.Signatures;
import org.parley.crypto.SignedPreKeyPublic;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.ProtocolException;
import org.parley.protocol.keys.DeviceKeys;
import org.parley.protocol.keys.KyberPreKey;
import org.parley.protocol.keys.PreKey;
import org.parley.protocol.keys.SignedPreKey;

/**
 * Checks published keys before anything is stored: every key must parse ({@code invalid_key}) and
 * every signed one must verify under the device's identity key ({@code bad_signature}).
 */
public final class KeyVerifier {
  private KeyVerifier() {}

  /** Checks a whole DeviceKeys (registration or link) and returns its identity key. */
  public static IdentityPublicKey verify(DeviceKeys keys) {
    IdentityPublicKey identity = identityKey(keys.identityKey());
    verify(
        identity,
        keys.signedPreKey(),
        keys.lastResortKyberPreKey(),
        keys.preKeys(),
        keys.kyberPreKeys());
    return identity;
  }

  /** Checks keys uploaded by an existing device; any of them may be null or empty. */
  public static void verify(
      IdentityPublicKey identity,
      SignedPreKey signedPreKey,
      KyberPreKey lastResort,
      List<PreKey> preKeys,
      List<KyberPreKey> kyberPreKeys) {
    if (signedPreKey != null) {
      if (!Signatures.isValidEcPublicKey(signedPreKey.publicKey())) {
        throw invalidKey(
            "signedPreKey " + signedPreKey.keyId() + " is not a Curve25519 public key");
      }
      var key =
          new SignedPreKeyPublic(
              signedPreKey.keyId(), signedPreKey.publicKey(), signedPreKey.signature());
      if (!Signatures.verifySignedPreKey(identity, key)) {
        throw badSignature("signedPreKey " + signedPreKey.keyId());
      }
    }
    if (lastResort != null) {
      verifyKyber(identity, lastResort, "lastResortKyberPreKey");
    }
    for (PreKey preKey : preKeys == null ? List.<PreKey>of() : preKeys) {
      if (!Signatures.isValidEcPublicKey(preKey.publicKey())) {
        throw invalidKey("preKey " + preKey.keyId() + " is not a Curve25519 public key");
      }
    }
    for (KyberPreKey kyber : kyberPreKeys == null ? List.<KyberPreKey>of() : kyberPreKeys) {
      verifyKyber(identity, kyber, "kyberPreKey");
    }
  }

  public static IdentityPublicKey identityKey(byte[] bytes) {
    try {
      return IdentityPublicKey.parse(bytes);
    } catch (InvalidKeyMaterialException e) {
      throw invalidKey("identityKey is not a Curve25519 public key");
    }
  }

  private static void verifyKyber(IdentityPublicKey identity, KyberPreKey kyber, String what) {
    if (!Signatures.isValidKyberPublicKey(kyber.publicKey())) {
      throw invalidKey(what + " " + kyber.keyId() + " is not a Kyber-1024 public key");
    }
    var key = new KyberPreKeyPublic(kyber.keyId(), kyber.publicKey(), kyber.signature());
    if (!Signatures.verifyKyberPreKey(identity, key)) {
      throw badSignature(what + " " + kyber.keyId());
    }
  }

  private static ProtocolException invalidKey(String message) {
    return new ProtocolException(ErrorCode.INVALID_KEY, message);
  }

  private static ProtocolException badSignature(String what) {
    return new ProtocolException(
        ErrorCode.BAD_SIGNATURE,
        "the signature of " + what + " does not verify under the identity key");
  }
}
