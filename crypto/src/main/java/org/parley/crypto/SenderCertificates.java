package org.parley.crypto;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import java.util.Optional;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.Handle;
import org.signal.libsignal.metadata.certificate.ServerCertificate;
import org.signal.libsignal.protocol.InvalidKeyException;
import org.signal.libsignal.protocol.ecc.ECPrivateKey;
import org.signal.libsignal.protocol.ecc.ECPublicKey;

/**
 * The server's side of sealed sender (docs/spec/sealed-sender.md, "Certificates"): a trust root,
 * which signs the server certificate of the online signing key, which signs each device's sender
 * certificate. Keys are libsignal Curve25519 keys; the private ones are 32 raw bytes.
 */
public final class SenderCertificates {
  /** libsignal's own key ids (Signal's staging and production, its test key): never ours. */
  private static final int[] RESERVED_KEY_IDS = {2, 3, 0x7357C357};

  private final ECPrivateKey signingKey;
  private final ServerCertificate serverCertificate;
  private final byte[] trustRoot;

  /**
   * @param rootPrivateKey the trust root's private key
   * @param signingPrivateKey the online key that signs sender certificates
   * @throws IllegalArgumentException if either is not a private key
   */
  public SenderCertificates(byte[] rootPrivateKey, byte[] signingPrivateKey) {
    ECPrivateKey root = privateKey(rootPrivateKey);
    this.signingKey = privateKey(signingPrivateKey);
    this.trustRoot = root.publicKey().serialize();
    ECPublicKey signingPublic = signingKey.publicKey();
    this.serverCertificate = new ServerCertificate(root, keyId(signingPublic), signingPublic);
  }

  /** A new random private key (32 bytes). */
  public static byte[] newPrivateKey() {
    return org.signal.libsignal.protocol.ecc.ECKeyPair.generate().getPrivateKey().serialize();
  }

  /** The trust root's public key (33 bytes), which clients pin. */
  public byte[] trustRoot() {
    return trustRoot.clone();
  }

  /**
   * A sender certificate for one device: its account, device, handle and identity key, valid until
   * {@code expires} (ms since the epoch).
   */
  public byte[] issue(
      AccountId account, DeviceId device, Handle handle, IdentityPublicKey key, long expires) {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(handle, "handle");
    Objects.requireNonNull(key, "key");
    ECPublicKey identity;
    try {
      identity = new ECPublicKey(key.bytes());
    } catch (InvalidKeyException e) {
      throw new IllegalArgumentException("not an identity key", e);
    }
    // the String overload: the ServiceId one writes the id's log form (libsignal 0.86.5)
    return serverCertificate
        .issue(
            signingKey,
            account.value(),
            Optional.of(handle.value()),
            device.value(),
            identity,
            expires)
        .getSerialized();
  }

  /**
   * The server certificate's key id: from the signing key, so that a new signing key gets a new id;
   * 1..2^31-1 (libsignal refuses larger ones from Java) and none of libsignal's own.
   */
  private static int keyId(ECPublicKey signingPublic) {
    int id;
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(signingPublic.serialize());
      id = ByteBuffer.wrap(hash).getInt() & 0x7fffffff;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    for (int reserved : RESERVED_KEY_IDS) {
      if (id == reserved) {
        id += 16;
      }
    }
    return id == 0 ? 1 : id;
  }

  private static ECPrivateKey privateKey(byte[] bytes) {
    try {
      return new ECPrivateKey(Objects.requireNonNull(bytes, "key"));
    } catch (InvalidKeyException e) {
      throw new IllegalArgumentException("not a private key", e);
    }
  }
}
