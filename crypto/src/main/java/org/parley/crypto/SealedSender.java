package org.parley.crypto;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.Handle;
import org.signal.libsignal.internal.Native;
import org.signal.libsignal.metadata.SealedSessionCipher;
import org.signal.libsignal.metadata.certificate.CertificateValidator;
import org.signal.libsignal.metadata.certificate.InvalidCertificateException;
import org.signal.libsignal.metadata.certificate.SenderCertificate;
import org.signal.libsignal.metadata.protocol.UnidentifiedSenderMessageContent;
import org.signal.libsignal.protocol.IdentityKey;
import org.signal.libsignal.protocol.InvalidKeyException;
import org.signal.libsignal.protocol.InvalidMessageException;
import org.signal.libsignal.protocol.InvalidRegistrationIdException;
import org.signal.libsignal.protocol.InvalidVersionException;
import org.signal.libsignal.protocol.LegacyMessageException;
import org.signal.libsignal.protocol.SignalProtocolAddress;
import org.signal.libsignal.protocol.UntrustedIdentityException;
import org.signal.libsignal.protocol.ecc.ECPublicKey;
import org.signal.libsignal.protocol.message.CiphertextMessage;
import org.signal.libsignal.protocol.message.SenderKeyMessage;
import org.signal.libsignal.protocol.state.SessionRecord;

/**
 * libsignal's sealed sender (docs/spec/sealed-sender.md): an envelope that hides the sending device
 * from the server. The sender's certificate (its account, device, handle and identity key, signed
 * by the server under a trust root the client pinned) travels inside the encryption; libsignal
 * checks that the envelope was made with the key the certificate names.
 *
 * <p>Opening is one step and proves nothing about the sender: {@link #open} removes the sealed
 * layer and checks the certificate's chain and expiry, and gives back the claimed sender with the
 * message inside, untouched. The caller proves that sender by key transparency, requires the
 * certificate's key to be the proven one, and decrypts the message inside as it decrypts a named
 * envelope's: a one-to-one message under the session, a group message under the sender's chain.
 * (libsignal's one-call decrypt cannot do this: it decrypts the inside before its caller could
 * prove anything. Opening uses libsignal's own first step, {@code
 * Native.SealedSessionCipher_DecryptToUsmc}, public but internal: pinned with the version.)
 *
 * <p>A group message is sealed once for every recipient device (sealed sender v2, {@link
 * #sealForGroup}). Its key material is made per service id, and every Parley device has its own
 * identity key, so each device is listed under a service id of its own, {@link #deliveryServiceId}:
 * the same bytes for every device of one service id would open for only one of them
 * (docs/research/libsignal-groups.md, section 3.4).
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

  /** What a sealed envelope holds. */
  public enum Kind {
    PREKEY_MESSAGE,
    MESSAGE,
    SENDER_KEY_MESSAGE
  }

  /**
   * An opened sealed envelope: the sender its certificate claims, the kind of message inside and
   * its bytes (a libsignal ciphertext, still encrypted), and the group id the sender put in it (a
   * claim too, for a group message).
   */
  public record Opened(Sender sender, Kind kind, byte[] content, Optional<byte[]> groupId) {
    public Opened {
      content = content.clone();
    }

    @Override
    public byte[] content() {
      return content.clone();
    }
  }

  /** A device a group message is sealed for, with the key the log proved for it. */
  public record Recipient(RemoteAddress address, IdentityPublicKey key) {}

  private static final byte[] SERVICE_ID_LABEL =
      "parley sealed sender v2 device".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

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
    SenderCertificate parsed = certificate(certificate);
    try {
      return owner.transaction(
          () -> {
            if (!store.containsSession(LibsignalStore.toSignal(to))) {
              throw new NoSessionException(to);
            }
            try {
              return cipher(store, self).encrypt(LibsignalStore.toSignal(to), parsed, plaintext);
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
   * Seals one group message (a SenderKeyMessage this device made) for every recipient device at
   * once: the upload of docs/spec/sealed-sender.md, "The multi-recipient upload", listing the
   * devices in the order given, each under its {@link #deliveryServiceId}. Needs a session with
   * each (for its registration id); uses the keys given, which the caller proved.
   *
   * @throws NoSessionException if there is no session with a recipient
   * @throws IllegalArgumentException if the certificate or the message does not parse, or there are
   *     no recipients
   */
  public byte[] sealForGroup(
      RemoteAddress self,
      List<Recipient> recipients,
      byte[] certificate,
      byte[] senderKeyMessage,
      byte[] groupId)
      throws NoSessionException {
    if (recipients.isEmpty()) {
      throw new IllegalArgumentException("a group message needs a recipient");
    }
    SenderCertificate parsed = certificate(certificate);
    UnidentifiedSenderMessageContent content;
    try {
      content =
          new UnidentifiedSenderMessageContent(
              new SenderKeyMessage(senderKeyMessage),
              parsed,
              UnidentifiedSenderMessageContent.CONTENT_HINT_DEFAULT,
              Optional.of(groupId.clone()));
    } catch (InvalidMessageException | InvalidVersionException | LegacyMessageException e) {
      throw new IllegalArgumentException("not a sender-key message", e);
    }
    List<SignalProtocolAddress> addresses = new ArrayList<>(recipients.size());
    Map<String, IdentityKey> identities = new HashMap<>();
    for (Recipient r : recipients) {
      String serviceId = deliveryServiceId(r.key()).toString();
      addresses.add(new SignalProtocolAddress(serviceId, r.address().deviceId().value()));
      identities.put(serviceId, LibsignalStore.toLibsignal(r.key()));
    }
    try {
      return owner.transaction(
          () -> {
            List<SessionRecord> sessions = new ArrayList<>(recipients.size());
            for (Recipient r : recipients) {
              SignalProtocolAddress real = LibsignalStore.toSignal(r.address());
              if (!store.containsSession(real)) {
                throw new NoSessionException(r.address());
              }
              sessions.add(store.loadSession(real));
            }
            try {
              return cipher(store.withIdentities(identities), self)
                  .multiRecipientEncrypt(addresses, sessions, content);
            } catch (InvalidKeyException
                | InvalidRegistrationIdException
                | org.signal.libsignal.protocol.NoSessionException
                | UntrustedIdentityException e) {
              throw new IllegalStateException("sealing a group message failed: " + e, e);
            }
          });
    } catch (NoSessionException e) {
      throw e;
    } catch (SessionException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The service id a device is listed under in a multi-recipient sealed message: a UUID made from
   * the first 16 bytes of SHA-256("parley sealed sender v2 device" || identity key), version 4 and
   * variant bits set. Anyone can compute it from the proven key; a new key gives a new one.
   */
  public static UUID deliveryServiceId(IdentityPublicKey key) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(SERVICE_ID_LABEL);
      byte[] hash = sha.digest(key.bytes());
      hash[6] = (byte) ((hash[6] & 0x0f) | 0x40);
      hash[8] = (byte) ((hash[8] & 0x3f) | 0x80);
      ByteBuffer b = ByteBuffer.wrap(hash);
      return new UUID(b.getLong(), b.getLong());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Removes the sealed layer of an envelope for this device (one-to-one or a group message's share)
   * and reads the certificate; decrypts nothing inside and stores nothing.
   *
   * @param trustRoot the pinned trust root (33-byte public key)
   * @param time the envelope's time in ms, against which the certificate's expiry is checked
   * @throws InvalidCiphertextException if the envelope is not for this device, is damaged or not
   *     made with the certificate's key, or the certificate is not signed under the trust root,
   *     expired, names no Parley device, or holds a kind of message Parley does not send
   */
  public Opened open(RemoteAddress self, byte[] trustRoot, byte[] envelope, long time)
      throws InvalidCiphertextException {
    Objects.requireNonNull(self, "self");
    Objects.requireNonNull(envelope, "envelope");
    ECPublicKey root = root(trustRoot);
    UnidentifiedSenderMessageContent content;
    try {
      content =
          owner.locked(
              () -> {
                try {
                  return new UnidentifiedSenderMessageContent(
                      Native.SealedSessionCipher_DecryptToUsmc(envelope, store));
                } catch (Exception e) {
                  throw new IllegalArgumentException(e.getClass().getSimpleName(), e);
                }
              });
    } catch (RuntimeException e) {
      throw new InvalidCiphertextException(
          "not a sealed envelope for this device, damaged, or not made with its certificate's key");
    }
    SenderCertificate certificate = content.getSenderCertificate();
    try {
      new CertificateValidator(root).validate(certificate, time);
    } catch (InvalidCertificateException e) {
      throw new InvalidCiphertextException(
          "its sender certificate is not valid under the pinned trust root, or expired");
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
      throw new InvalidCiphertextException("its sender certificate names no Parley device");
    }
    Kind kind =
        switch (content.getType()) {
          case CiphertextMessage.PREKEY_TYPE -> Kind.PREKEY_MESSAGE;
          case CiphertextMessage.WHISPER_TYPE -> Kind.MESSAGE;
          case CiphertextMessage.SENDERKEY_TYPE -> Kind.SENDER_KEY_MESSAGE;
          default ->
              throw new InvalidCiphertextException(
                  "it holds a message of type " + content.getType() + ", which Parley never seals");
        };
    return new Opened(claimed, kind, content.getContent(), content.getGroupId());
  }

  /**
   * Whether a certificate the server gave this device is one to seal with: valid under the pinned
   * trust root at {@code time}, and naming exactly this device, its handle and its own key. One
   * that is not would only make the recipients refuse what it seals.
   */
  public boolean isOwnCertificate(
      byte[] trustRoot, byte[] certificate, RemoteAddress self, Handle handle, long time) {
    try {
      SenderCertificate parsed = new SenderCertificate(certificate);
      new CertificateValidator(root(trustRoot)).validate(parsed, time);
      return parsed.getSenderUuid().equals(self.accountId().value())
          && parsed.getSenderDeviceId() == self.deviceId().value()
          && parsed.getSenderE164().equals(Optional.of(handle.value()))
          && new IdentityPublicKey(parsed.getKey().serialize()).equals(owner.identityKey());
    } catch (InvalidCertificateException | RuntimeException e) {
      return false;
    }
  }

  private static SealedSessionCipher cipher(LibsignalStore store, RemoteAddress self) {
    Objects.requireNonNull(self, "self");
    return new SealedSessionCipher(
        store, UUID.fromString(self.accountId().value()), null, self.deviceId().value());
  }

  private static SenderCertificate certificate(byte[] bytes) {
    try {
      return new SenderCertificate(Objects.requireNonNull(bytes, "certificate"));
    } catch (InvalidCertificateException e) {
      throw new IllegalArgumentException("not a sender certificate", e);
    }
  }

  private static ECPublicKey root(byte[] trustRoot) {
    try {
      return new ECPublicKey(Objects.requireNonNull(trustRoot, "trustRoot"));
    } catch (InvalidKeyException e) {
      throw new IllegalArgumentException("the trust root is not a public key", e);
    }
  }
}
