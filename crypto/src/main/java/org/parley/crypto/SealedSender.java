package org.parley.crypto;

import java.util.Objects;
import java.util.UUID;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.Handle;
import org.signal.libsignal.metadata.InvalidMetadataMessageException;
import org.signal.libsignal.metadata.InvalidMetadataVersionException;
import org.signal.libsignal.metadata.ProtocolDuplicateMessageException;
import org.signal.libsignal.metadata.ProtocolException;
import org.signal.libsignal.metadata.ProtocolNoSessionException;
import org.signal.libsignal.metadata.ProtocolUntrustedIdentityException;
import org.signal.libsignal.metadata.SealedSessionCipher;
import org.signal.libsignal.metadata.SelfSendException;
import org.signal.libsignal.metadata.certificate.CertificateValidator;
import org.signal.libsignal.metadata.certificate.InvalidCertificateException;
import org.signal.libsignal.metadata.certificate.SenderCertificate;
import org.signal.libsignal.protocol.InvalidKeyException;
import org.signal.libsignal.protocol.UntrustedIdentityException;
import org.signal.libsignal.protocol.ecc.ECPublicKey;

/**
 * libsignal's sealed sender (docs/spec/sealed-sender.md): a one-to-one message whose envelope hides
 * the sending device from the server. The sender's certificate (its account, device, handle and
 * identity key, signed by the server under a trust root the client pinned) travels inside the
 * encryption; libsignal checks that the envelope was made with the key the certificate names.
 *
 * <p>Opening is two steps, because the certificate only names a sender and proves nothing about it:
 * {@link #open} reads the certificate (its signatures and expiry checked, nothing decrypted further
 * and nothing stored), the caller proves that sender's key by key transparency, and {@link
 * #decrypt} decrypts only if the certificate names exactly that sender and that key. libsignal's
 * own exceptions never leave this class.
 */
public final class SealedSender {
  /** A certificate's claims, after its chain to the trust root and its expiry checked out. */
  public record Sender(RemoteAddress address, Handle handle, IdentityPublicKey key, long expires) {
    public Sender {
      Objects.requireNonNull(address, "address");
      Objects.requireNonNull(handle, "handle");
      Objects.requireNonNull(key, "key");
    }
  }

  private final DeviceCrypto owner;
  private final LibsignalStore store;

  SealedSender(DeviceCrypto owner, LibsignalStore store) {
    this.owner = owner;
    this.store = store;
  }

  /**
   * Encrypts a (padded) message for one device under the session with it, sealed with this device's
   * certificate: the Double Ratchet message inside libsignal's sealed-sender envelope.
   *
   * @param self this device's own address (libsignal names the local identity)
   * @throws NoSessionException if there is no session with {@code to}
   * @throws IdentityChangedException if the device's key is no longer the trusted one
   * @throws IllegalArgumentException if {@code certificate} does not parse
   */
  public byte[] encrypt(RemoteAddress self, RemoteAddress to, byte[] certificate, byte[] plaintext)
      throws NoSessionException, IdentityChangedException {
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(plaintext, "plaintext");
    SenderCertificate parsed;
    try {
      parsed = new SenderCertificate(Objects.requireNonNull(certificate, "certificate"));
    } catch (InvalidCertificateException e) {
      throw new IllegalArgumentException("not a sender certificate", e);
    }
    try {
      return owner.transaction(
          () -> {
            if (!store.containsSession(LibsignalStore.toSignal(to))) {
              throw new NoSessionException(to);
            }
            try {
              return cipher(self).encrypt(LibsignalStore.toSignal(to), parsed, plaintext);
            } catch (UntrustedIdentityException e) {
              throw new IdentityChangedException(to, null);
            } catch (InvalidKeyException e) {
              throw new IllegalStateException("the session with " + to + " holds a bad key", e);
            }
          });
    } catch (NoSessionException | IdentityChangedException e) {
      throw e;
    } catch (SessionException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Reads who a sealed envelope claims to come from, without decrypting the message inside.
   *
   * @param trustRoots the pinned trust root (33-byte public key)
   * @param time the envelope's time in ms, against which the certificate's expiry is checked
   * @throws InvalidCiphertextException if the envelope is not for this device, is damaged, or its
   *     certificate is not signed under the trust root, expired, or names no Parley sender
   */
  public Sender open(RemoteAddress self, byte[] trustRoot, byte[] envelope, long time)
      throws InvalidCiphertextException {
    Objects.requireNonNull(envelope, "envelope");
    Recording validator = new Recording(root(trustRoot), null);
    try {
      owner.locked(
          () -> {
            try {
              cipher(self).decrypt(validator, envelope, time);
            } catch (Exception stopped) {
              // the validator stops it before the inner message is touched, or it failed earlier
            }
            return null;
          });
    } catch (RuntimeException e) {
      throw new InvalidCiphertextException(
          "not a sealed envelope: " + e.getClass().getSimpleName());
    }
    if (validator.seen == null) {
      throw new InvalidCiphertextException(
          validator.failure == null
              ? "not a sealed envelope for this device, or damaged"
              : validator.failure);
    }
    return validator.seen;
  }

  /**
   * Decrypts a sealed envelope from {@code expected}, the sender {@link #open} read and the caller
   * proved: anything else named in the certificate (another device, account or handle; another key,
   * as {@link IdentityChangedException}) is refused before the message inside is decrypted. A
   * PreKey message inside starts the session, as {@link DeviceCrypto#decrypt} does; all state
   * changes commit together, or not at all.
   *
   * @throws DuplicateCiphertextException if the message was already decrypted
   * @throws InvalidCiphertextException if the envelope or the message inside is damaged or forged,
   *     or the certificate is not exactly {@code expected}'s
   * @throws IdentityChangedException if the certificate, or the message inside, is made under
   *     another key than the trusted one for the sender
   * @throws NoSessionException if a message that needs a session arrives without one
   */
  public byte[] decrypt(
      RemoteAddress self, byte[] trustRoot, Sender expected, byte[] envelope, long time)
      throws DuplicateCiphertextException,
          InvalidCiphertextException,
          IdentityChangedException,
          NoSessionException {
    Objects.requireNonNull(expected, "expected");
    Objects.requireNonNull(envelope, "envelope");
    Recording validator = new Recording(root(trustRoot), expected);
    RemoteAddress from = expected.address();
    try {
      return owner.transaction(
          () -> {
            try {
              return cipher(self).decrypt(validator, envelope, time).getPaddedMessage();
            } catch (ProtocolDuplicateMessageException e) {
              throw new DuplicateCiphertextException(
                  "already decrypted a message from " + from, false);
            } catch (ProtocolUntrustedIdentityException e) {
              throw new IdentityChangedException(from, expected.key());
            } catch (ProtocolNoSessionException e) {
              throw new NoSessionException(from);
            } catch (InvalidMetadataMessageException | InvalidMetadataVersionException e) {
              if (validator.otherKey != null) {
                throw new IdentityChangedException(from, validator.otherKey);
              }
              throw new InvalidCiphertextException(
                  validator.failure != null
                      ? validator.failure
                      : "a damaged sealed envelope from " + from);
            } catch (ProtocolException e) {
              throw new InvalidCiphertextException(
                  "invalid message from " + from + ": " + e.getClass().getSimpleName());
            } catch (SelfSendException e) {
              throw new InvalidCiphertextException("a sealed envelope claiming this very device");
            } catch (AssertionError e) {
              throw new InvalidCiphertextException("a forged message from " + from);
            }
          });
    } catch (DuplicateCiphertextException
        | InvalidCiphertextException
        | IdentityChangedException
        | NoSessionException e) {
      throw e;
    } catch (SessionException e) {
      throw new AssertionError("SessionException is sealed", e);
    }
  }

  private SealedSessionCipher cipher(RemoteAddress self) {
    Objects.requireNonNull(self, "self");
    return new SealedSessionCipher(
        store, UUID.fromString(self.accountId().value()), null, self.deviceId().value());
  }

  private static ECPublicKey root(byte[] trustRoot) {
    try {
      return new ECPublicKey(Objects.requireNonNull(trustRoot, "trustRoot"));
    } catch (InvalidKeyException e) {
      throw new IllegalArgumentException("the trust root is not a public key", e);
    }
  }

  /**
   * Checks the certificate as libsignal asks, then reads it; with an {@code expected} sender it
   * lets only that sender through, without one it stops every envelope once it has read the claims,
   * so that nothing inside is decrypted.
   */
  private static final class Recording extends CertificateValidator {
    private final Sender expected;
    Sender seen;
    String failure;
    IdentityPublicKey otherKey;

    Recording(ECPublicKey root, Sender expected) {
      super(root);
      this.expected = expected;
    }

    @Override
    public void validate(SenderCertificate certificate, long time)
        throws InvalidCertificateException {
      try {
        super.validate(certificate, time);
      } catch (InvalidCertificateException e) {
        failure = "its sender certificate is not valid under the pinned trust root, or expired";
        throw e;
      }
      Sender claimed;
      try {
        claimed =
            new Sender(
                new RemoteAddress(
                    AccountId.of(certificate.getSenderUuid()),
                    DeviceId.of(certificate.getSenderDeviceId())),
                Handle.of(certificate.getSenderE164().orElseThrow()),
                new IdentityPublicKey(certificate.getKey().serialize()),
                certificate.getExpiration());
      } catch (RuntimeException e) {
        failure = "its sender certificate names no Parley device";
        throw new InvalidCertificateException(failure);
      }
      if (expected == null) {
        seen = claimed;
        throw new InvalidCertificateException("read only");
      }
      if (!expected.address().equals(claimed.address())
          || !expected.handle().equals(claimed.handle())) {
        failure = "its sender certificate names another sender than the proven one";
        throw new InvalidCertificateException(failure);
      }
      if (!expected.key().equals(claimed.key())) {
        otherKey = claimed.key(); // the device's key is not the one this device trusts for it
        throw new InvalidCertificateException("another key");
      }
    }
  }
}
