package org.parley.crypto;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.locks.ReentrantLock;
import org.parley.protocol.AccountId;
import org.parley.protocol.kt.DeviceApprovalStatement;
import org.signal.libsignal.protocol.DuplicateMessageException;
import org.signal.libsignal.protocol.IdentityKeyPair;
import org.signal.libsignal.protocol.InvalidKeyException;
import org.signal.libsignal.protocol.InvalidKeyIdException;
import org.signal.libsignal.protocol.InvalidMessageException;
import org.signal.libsignal.protocol.InvalidVersionException;
import org.signal.libsignal.protocol.LegacyMessageException;
import org.signal.libsignal.protocol.ReusedBaseKeyException;
import org.signal.libsignal.protocol.SessionBuilder;
import org.signal.libsignal.protocol.SessionCipher;
import org.signal.libsignal.protocol.UntrustedIdentityException;
import org.signal.libsignal.protocol.ecc.ECKeyPair;
import org.signal.libsignal.protocol.ecc.ECPublicKey;
import org.signal.libsignal.protocol.kem.KEMKeyPair;
import org.signal.libsignal.protocol.kem.KEMKeyType;
import org.signal.libsignal.protocol.kem.KEMPublicKey;
import org.signal.libsignal.protocol.message.CiphertextMessage;
import org.signal.libsignal.protocol.message.PreKeySignalMessage;
import org.signal.libsignal.protocol.message.SignalMessage;
import org.signal.libsignal.protocol.state.KyberPreKeyRecord;
import org.signal.libsignal.protocol.state.PreKeyRecord;
import org.signal.libsignal.protocol.state.SessionRecord;
import org.signal.libsignal.protocol.state.SignedPreKeyRecord;
import org.signal.libsignal.protocol.util.KeyHelper;

/**
 * The end-to-end encryption of one device: its identity, its prekeys and its pairwise sessions
 * (PQXDH with Kyber-1024, then the Double Ratchet with libsignal's post-quantum SPQR ratchet), over
 * a {@link ProtocolState} that keeps everything durable.
 *
 * <p><b>One identity key per device.</b> Each device generates its own identity key pair and
 * registration id on first use; no other device ever receives its private key, and removing the
 * device revokes the key. Addresses are (account UUID, device id 1..127), and trust is kept per
 * address.
 *
 * <p><b>Trust.</b> Nothing is trusted on first use. A session is started from a bundle, and a
 * message is accepted, only for an address whose identity key the caller stored with {@link
 * #trustIdentity} (the client does so for keys the key-transparency log proved); any other key, or
 * an address with no stored key, raises {@link IdentityChangedException}. Replacing a trusted key
 * is a separate, deliberate call ({@link #replaceTrustedIdentity}).
 *
 * <p><b>Concurrency.</b> All operations are serialized by one lock, and each runs its store writes
 * in one {@link ProtocolState#inTransaction} call, so a failed decrypt changes nothing. Use one
 * instance per state.
 *
 * <p>Plaintexts are encrypted as given: padding them to hide their length is the caller's job.
 */
public final class DeviceCrypto {
  /** Largest prekey id; ids run 1..MAX_KEY_ID and wrap (libsignal's "medium" id range). */
  public static final int MAX_KEY_ID = 0xFFFFFF;

  /** Most prekeys generated in one call. */
  public static final int MAX_BATCH = 1000;

  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * The first byte of libsignal's serialized public keys: a message that starts otherwise cannot be
   * one, whatever its length (a group change starts with its ASCII label).
   */
  private static final byte EC_KEY_TYPE = 0x05;

  private static final byte KYBER_KEY_TYPE = 0x08;

  private final ProtocolState state;
  private final IdentityKeyPair identityKeyPair;
  private final IdentityPublicKey identityKey;
  private final int registrationId;
  private final LibsignalStore store;
  private final ReentrantLock lock = new ReentrantLock();
  private final SenderKeys senderKeys;
  private final SealedSender sealedSender;

  private DeviceCrypto(ProtocolState state, IdentityKeyPair identityKeyPair, int registrationId) {
    this.state = state;
    this.identityKeyPair = identityKeyPair;
    this.identityKey = LibsignalStore.toPublic(identityKeyPair.getPublicKey());
    this.registrationId = registrationId;
    this.store = new LibsignalStore(state, identityKeyPair, registrationId);
    this.senderKeys = new SenderKeys(this, store, state);
    this.sealedSender = new SealedSender(this, store);
  }

  /**
   * Opens the device's crypto over its state, generating the identity key pair and registration id
   * on first use and loading them afterwards.
   *
   * @throws IllegalStateException if the stored identity is corrupt
   */
  public static DeviceCrypto initialize(ProtocolState state) {
    Objects.requireNonNull(state, "state");
    LocalIdentity local =
        state.inTransaction(
            () ->
                state
                    .loadLocalIdentity()
                    .orElseGet(
                        () -> {
                          IdentityKeyPair pair = IdentityKeyPair.generate();
                          var created =
                              new LocalIdentity(
                                  pair.serialize(), KeyHelper.generateRegistrationId(false));
                          state.storeLocalIdentity(created);
                          return created;
                        }));
    try {
      return new DeviceCrypto(
          state, new IdentityKeyPair(local.serializedKeyPair()), local.registrationId());
    } catch (InvalidKeyException e) {
      throw new IllegalStateException("stored identity key pair is corrupt", e);
    }
  }

  /** Group messaging: this device's sender-key chains and the ones other devices sent it. */
  public SenderKeys senderKeys() {
    return senderKeys;
  }

  /** Sealed sender: one-to-one messages whose envelope does not name this device. */
  public SealedSender sealedSender() {
    return sealedSender;
  }

  /** This device's public identity key. */
  public IdentityPublicKey identityKey() {
    return identityKey;
  }

  /** This device's registration id (1..16380), fixed when the device was initialized. */
  public int registrationId() {
    return registrationId;
  }

  /**
   * Signs a message with this device's identity key, for example to approve linking another device;
   * anyone verifies it with {@link Signatures#verify}.
   *
   * <p>The identity key also signs prekeys, so the message must not look like one: put a context
   * label in it (the link-approval structure does). A message shaped like a serialized EC or Kyber
   * public key is refused, so a signing request can never mint a signed prekey.
   *
   * @throws IllegalArgumentException if the message could be mistaken for a public key
   */
  public byte[] sign(byte[] message) {
    Objects.requireNonNull(message, "message");
    if (message.length == Signatures.EC_PUBLIC_KEY_LENGTH && message[0] == EC_KEY_TYPE
        || message.length == Signatures.KYBER_PUBLIC_KEY_LENGTH && message[0] == KYBER_KEY_TYPE) {
      throw new IllegalArgumentException(
          "refusing to sign a message shaped like a public key; add a context label");
    }
    return identityKeyPair.getPrivateKey().calculateSignature(message);
  }

  /**
   * Approves {@code key} as a device key of {@code account} for the key-transparency log: signs
   * {@link DeviceApprovalStatement} with this device's identity key. Device 1 approves its own key
   * at registration; an existing device approves a new device's key when linking it. Verified with
   * {@link Signatures#verifyDeviceApproval}.
   */
  public byte[] approveDevice(AccountId account, IdentityPublicKey key) {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(key, "key");
    return sign(DeviceApprovalStatement.bytes(account, key.bytes()));
  }

  // ---- prekeys

  /** Generates and stores a signed EC prekey and returns its public part for upload. */
  public SignedPreKeyPublic newSignedPreKey() {
    return locked(
        () -> {
          int id = allocateIds(KeyIdSeries.SIGNED_EC_PREKEY, 1)[0];
          ECKeyPair pair = ECKeyPair.generate();
          byte[] publicKey = pair.getPublicKey().serialize();
          byte[] signature = identityKeyPair.getPrivateKey().calculateSignature(publicKey);
          state.storeSignedPreKey(
              id,
              new SignedPreKeyRecord(id, System.currentTimeMillis(), pair, signature).serialize());
          return new SignedPreKeyPublic(id, publicKey, signature);
        });
  }

  /**
   * Generates and stores {@code n} one-time EC prekeys and returns their public parts.
   *
   * @throws IllegalArgumentException unless 1 <= n <= {@link #MAX_BATCH}
   */
  public List<PreKeyPublic> newPreKeys(int n) {
    checkBatch(n);
    return locked(
        () -> {
          List<PreKeyPublic> result = new ArrayList<>(n);
          for (int id : allocateIds(KeyIdSeries.ONE_TIME_EC_PREKEY, n)) {
            ECKeyPair pair = ECKeyPair.generate();
            state.storePreKey(id, new PreKeyRecord(id, pair).serialize());
            result.add(new PreKeyPublic(id, pair.getPublicKey().serialize()));
          }
          return List.copyOf(result);
        });
  }

  /**
   * Generates and stores {@code n} signed one-time Kyber-1024 prekeys (each deleted after its first
   * use) and returns their public parts.
   *
   * @throws IllegalArgumentException unless 1 <= n <= {@link #MAX_BATCH}
   */
  public List<KyberPreKeyPublic> newKyberPreKeys(int n) {
    checkBatch(n);
    return locked(
        () -> {
          List<KyberPreKeyPublic> result = new ArrayList<>(n);
          for (int id : allocateIds(KeyIdSeries.KYBER_PREKEY, n)) {
            result.add(storeNewKyberPreKey(id, false));
          }
          return List.copyOf(result);
        });
  }

  /**
   * Generates and stores a signed last-resort Kyber-1024 prekey, which the server hands out when it
   * has no one-time Kyber prekey left. It is kept after use; a PreKey message that repeats a (Kyber
   * prekey, signed prekey, base key) already seen with it is rejected as a replay.
   */
  public KyberPreKeyPublic newLastResortKyberPreKey() {
    return locked(() -> storeNewKyberPreKey(allocateIds(KeyIdSeries.KYBER_PREKEY, 1)[0], true));
  }

  /** Deletes a signed EC prekey, after it was rotated out and in-flight messages had time. */
  public void deleteSignedPreKey(int keyId) {
    locked(
        () -> {
          state.removeSignedPreKey(keyId);
          return null;
        });
  }

  /** Deletes a Kyber prekey (typically a rotated-out last-resort one) and its recorded uses. */
  public void deleteKyberPreKey(int keyId) {
    locked(
        () -> {
          state.removeKyberPreKey(keyId);
          return null;
        });
  }

  private KyberPreKeyPublic storeNewKyberPreKey(int id, boolean lastResort) {
    KEMKeyPair pair = KEMKeyPair.generate(KEMKeyType.KYBER_1024);
    byte[] publicKey = pair.getPublicKey().serialize();
    byte[] signature = identityKeyPair.getPrivateKey().calculateSignature(publicKey);
    state.storeKyberPreKey(
        id,
        new KyberPreKeyRecord(id, System.currentTimeMillis(), pair, signature).serialize(),
        lastResort);
    return new KyberPreKeyPublic(id, publicKey, signature);
  }

  private static void checkBatch(int n) {
    if (n < 1 || n > MAX_BATCH) {
      throw new IllegalArgumentException("batch size must be in 1.." + MAX_BATCH + ": " + n);
    }
  }

  /** Allocates ids monotonically from a random start, wrapping within 1..MAX_KEY_ID. */
  private int[] allocateIds(KeyIdSeries series, int n) {
    int last = state.lastKeyId(series);
    if (last == 0) {
      last = RANDOM.nextInt(MAX_KEY_ID); // first id is last % MAX + 1: uniform in 1..MAX
    }
    int[] ids = new int[n];
    for (int i = 0; i < n; i++) {
      last = last % MAX_KEY_ID + 1;
      ids[i] = last;
    }
    state.storeLastKeyId(series, last);
    return ids;
  }

  // ---- sessions

  /**
   * Starts a session with the bundle's device (PQXDH). Both prekey signatures are checked against
   * the bundle's identity key first. The bundle's identity key must be the one trusted for its
   * address ({@link #trustIdentity}); if none or a different key is trusted, nothing changes and
   * {@link IdentityChangedException} is thrown.
   *
   * @throws InvalidKeyMaterialException if a key does not parse or a signature does not verify
   */
  public void startSession(PreKeyBundle bundle)
      throws InvalidKeyMaterialException, IdentityChangedException {
    Objects.requireNonNull(bundle, "bundle");
    Signatures.requireValidSignedPreKey(bundle.identityKey(), bundle.signedPreKey());
    Signatures.requireValidKyberPreKey(bundle.identityKey(), bundle.kyberPreKey());
    if (bundle.preKey() != null) {
      Signatures.requireValidEcPublicKey(bundle.preKey().publicKey());
    }
    RemoteAddress address = bundle.address();
    org.signal.libsignal.protocol.state.PreKeyBundle signalBundle;
    try {
      signalBundle =
          new org.signal.libsignal.protocol.state.PreKeyBundle(
              bundle.registrationId(),
              address.deviceId().value(),
              bundle.preKey() == null
                  ? org.signal.libsignal.protocol.state.PreKeyBundle.NULL_PRE_KEY_ID
                  : bundle.preKey().keyId(),
              bundle.preKey() == null ? null : new ECPublicKey(bundle.preKey().publicKey()),
              bundle.signedPreKey().keyId(),
              new ECPublicKey(bundle.signedPreKey().publicKey()),
              bundle.signedPreKey().signature(),
              LibsignalStore.toLibsignal(bundle.identityKey()),
              bundle.kyberPreKey().keyId(),
              new KEMPublicKey(bundle.kyberPreKey().publicKey()),
              bundle.kyberPreKey().signature());
    } catch (InvalidKeyException | RuntimeException e) {
      throw new InvalidKeyMaterialException("bundle does not parse: " + e.getMessage());
    }
    lock.lock();
    try {
      state.inTransaction(
          () -> {
            try {
              new SessionBuilder(store, LibsignalStore.toSignal(address)).process(signalBundle);
              return null;
            } catch (UntrustedIdentityException e) {
              throw new IdentityChangedException(address, bundle.identityKey());
            } catch (InvalidKeyException e) {
              throw new InvalidKeyMaterialException("bundle rejected: " + e.getMessage());
            }
          });
    } catch (IdentityChangedException | InvalidKeyMaterialException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      lock.unlock();
    }
  }

  /** True if a session with the device exists and can send. */
  public boolean hasSession(RemoteAddress address) {
    Objects.requireNonNull(address, "address");
    return locked(
        () -> {
          SessionRecord record = store.loadSession(LibsignalStore.toSignal(address));
          return record.hasSenderChain();
        });
  }

  /**
   * The registration id of the device at the other end of the session, if there is one. Senders put
   * it beside each envelope so the server can tell a reinstalled device (a new registration id at
   * the same address) from the one the session was made with.
   */
  public OptionalInt remoteRegistrationId(RemoteAddress address) {
    Objects.requireNonNull(address, "address");
    return locked(
        () -> {
          if (state.loadSession(address).isEmpty()) {
            return OptionalInt.empty();
          }
          SessionRecord record = store.loadSession(LibsignalStore.toSignal(address));
          return record.hasSenderChain()
              ? OptionalInt.of(record.getRemoteRegistrationId())
              : OptionalInt.empty();
        });
  }

  /**
   * Encrypts a message for one device. Until the device has answered, the result is a {@link
   * Ciphertext.Type#PREKEY_MESSAGE} carrying the session setup; afterwards a {@link
   * Ciphertext.Type#MESSAGE}.
   */
  public Ciphertext encrypt(RemoteAddress to, byte[] plaintext)
      throws NoSessionException, IdentityChangedException {
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(plaintext, "plaintext");
    try {
      return transaction(
          () -> {
            CiphertextMessage message;
            try {
              message = new SessionCipher(store, LibsignalStore.toSignal(to)).encrypt(plaintext);
            } catch (org.signal.libsignal.protocol.NoSessionException e) {
              throw new NoSessionException(to);
            } catch (UntrustedIdentityException e) {
              throw new IdentityChangedException(to, presented(e));
            }
            return switch (message.getType()) {
              case CiphertextMessage.PREKEY_TYPE ->
                  new Ciphertext(Ciphertext.Type.PREKEY_MESSAGE, message.serialize());
              case CiphertextMessage.WHISPER_TYPE ->
                  new Ciphertext(Ciphertext.Type.MESSAGE, message.serialize());
              default ->
                  throw new IllegalStateException("unexpected message type " + message.getType());
            };
          });
    } catch (NoSessionException | IdentityChangedException e) {
      throw e;
    } catch (SessionException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Decrypts a message from one device. A PreKey message starts (or restarts) the session and
   * consumes the one-time prekeys it names. All state changes commit together, or not at all when
   * this throws.
   *
   * @throws DuplicateCiphertextException if the message was already decrypted or is a replay
   * @throws InvalidCiphertextException if the message is malformed, tampered with or names an
   *     unknown prekey
   * @throws IdentityChangedException if the sender's identity differs from the trusted one
   * @throws NoSessionException if a {@link Ciphertext.Type#MESSAGE} arrives without a session
   */
  public byte[] decrypt(RemoteAddress from, Ciphertext ciphertext)
      throws DuplicateCiphertextException,
          InvalidCiphertextException,
          IdentityChangedException,
          NoSessionException {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(ciphertext, "ciphertext");
    try {
      return transaction(() -> decryptInTransaction(from, ciphertext));
    } catch (DuplicateCiphertextException
        | InvalidCiphertextException
        | IdentityChangedException
        | NoSessionException e) {
      throw e;
    } catch (SessionException e) {
      throw new AssertionError("SessionException is sealed", e);
    }
  }

  private byte[] decryptInTransaction(RemoteAddress from, Ciphertext ciphertext)
      throws SessionException {
    if (ciphertext.type() == Ciphertext.Type.MESSAGE && state.loadSession(from).isEmpty()) {
      // libsignal reports a missing session as an invalid message when the store hands it an
      // empty record (which its store contract asks for), so we check first.
      throw new NoSessionException(from);
    }
    SessionCipher cipher = new SessionCipher(store, LibsignalStore.toSignal(from));
    try {
      return switch (ciphertext.type()) {
        case PREKEY_MESSAGE -> cipher.decrypt(new PreKeySignalMessage(ciphertext.body()));
        case MESSAGE -> cipher.decrypt(new SignalMessage(ciphertext.body()));
      };
    } catch (ReusedBaseKeyException e) {
      throw new DuplicateCiphertextException("replayed PreKey message from " + from, true);
    } catch (DuplicateMessageException e) {
      throw new DuplicateCiphertextException("already decrypted a message from " + from, false);
    } catch (UntrustedIdentityException e) {
      throw new IdentityChangedException(from, presented(e, ciphertext));
    } catch (org.signal.libsignal.protocol.NoSessionException e) {
      throw new NoSessionException(from);
    } catch (InvalidMessageException
        | InvalidKeyIdException
        | InvalidKeyException
        | InvalidVersionException
        | LegacyMessageException e) {
      throw new InvalidCiphertextException(
          "invalid message from " + from + ": " + e.getClass().getSimpleName());
    }
  }

  /**
   * The key the refused message was made under. libsignal's decrypt leaves it out of the exception;
   * a PreKey message carries it, so it is read from there.
   */
  private static IdentityPublicKey presented(UntrustedIdentityException e, Ciphertext ciphertext) {
    if (e.getUntrustedIdentity() != null) {
      return presented(e);
    }
    if (ciphertext.type() == Ciphertext.Type.PREKEY_MESSAGE) {
      try {
        return LibsignalStore.toPublic(new PreKeySignalMessage(ciphertext.body()).getIdentityKey());
      } catch (InvalidMessageException
          | InvalidKeyException
          | InvalidVersionException
          | LegacyMessageException unreadable) {
        return null; // it parsed a moment ago
      }
    }
    return null;
  }

  private static IdentityPublicKey presented(UntrustedIdentityException e) {
    return e.getUntrustedIdentity() == null
        ? null
        : LibsignalStore.toPublic(e.getUntrustedIdentity());
  }

  /** Deletes the session with one device; the next send needs a fresh bundle. */
  public void deleteSession(RemoteAddress address) {
    Objects.requireNonNull(address, "address");
    locked(
        () -> {
          state.deleteSession(address);
          return null;
        });
  }

  /**
   * True if a session with any device of the account is stored (one that cannot send counts too): a
   * client fetches the bundles of every device of an account only when this is false.
   */
  public boolean hasSessions(AccountId accountId) {
    Objects.requireNonNull(accountId, "accountId");
    return locked(() -> state.hasSessions(accountId));
  }

  /** Deletes the sessions with every device of an account. */
  public void deleteSessions(AccountId accountId) {
    Objects.requireNonNull(accountId, "accountId");
    locked(
        () -> {
          state.deleteSessions(accountId);
          return null;
        });
  }

  // ---- trust

  /**
   * Trusts {@code identityKey} for a device that has no trusted key yet (the client calls this for
   * keys the key-transparency log proved). Trusting the key already trusted is a no-op.
   *
   * @return true if the key was stored now, false if it was already trusted
   * @throws IdentityChangedException if a different key is trusted for the address; replacing it is
   *     {@link #replaceTrustedIdentity}
   */
  public boolean trustIdentity(RemoteAddress address, IdentityPublicKey identityKey)
      throws IdentityChangedException {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(identityKey, "identityKey");
    lock.lock();
    try {
      return state.<Boolean, IdentityChangedException>inTransaction(
          () -> {
            var stored = state.loadRemoteIdentity(address);
            if (stored.isPresent()) {
              if (stored.get().equals(identityKey)) {
                return false;
              }
              throw new IdentityChangedException(address, identityKey);
            }
            state.storeRemoteIdentity(address, identityKey);
            return true;
          });
    } finally {
      lock.unlock();
    }
  }

  /**
   * Replaces the key trusted for a device, deleting the session built on the old one so the next
   * send starts afresh from a bundle under the new key. Only for a person's explicit decision
   * (after comparing safety numbers), never for something a server said.
   *
   * @return true if a different key was trusted for the address before
   */
  public boolean replaceTrustedIdentity(RemoteAddress address, IdentityPublicKey identityKey) {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(identityKey, "identityKey");
    return locked(
        () -> {
          var stored = state.loadRemoteIdentity(address);
          if (stored.isPresent() && stored.get().equals(identityKey)) {
            return false;
          }
          state.storeRemoteIdentity(address, identityKey);
          state.deleteSession(address);
          return stored.isPresent();
        });
  }

  /**
   * Stops trusting a device (it was removed from its account): its key and session are deleted, so
   * nothing more is encrypted to it or accepted from it.
   */
  public void forgetIdentity(RemoteAddress address) {
    Objects.requireNonNull(address, "address");
    locked(
        () -> {
          state.deleteRemoteIdentity(address);
          state.deleteSession(address);
          return null;
        });
  }

  /** The identity key trusted for a device, if any. */
  public Optional<IdentityPublicKey> trustedIdentity(RemoteAddress address) {
    Objects.requireNonNull(address, "address");
    return locked(() -> state.loadRemoteIdentity(address));
  }

  // ---- plumbing

  <T> T locked(ProtocolState.Work<T, RuntimeException> work) {
    lock.lock();
    try {
      return state.inTransaction(work);
    } finally {
      lock.unlock();
    }
  }

  <T> T transaction(ProtocolState.Work<T, SessionException> work) throws SessionException {
    lock.lock();
    try {
      return state.inTransaction(work);
    } finally {
      lock.unlock();
    }
  }
}
