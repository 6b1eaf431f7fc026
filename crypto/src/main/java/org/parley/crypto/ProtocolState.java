package org.parley.crypto;

import java.util.Optional;
import org.parley.protocol.AccountId;

/**
 * The durable state of one device's end-to-end encryption, as opaque byte records: {@link
 * DeviceCrypto} serializes and parses them, so an implementation (the client's SQLite file, the
 * in-memory one for tests) needs no libsignal import.
 *
 * <p>Contract for implementations:
 *
 * <ul>
 *   <li>Byte arrays passed in may be kept only as copies; byte arrays returned must be copies (a
 *       loaded session is modified by the caller and must not change the stored one until it is
 *       stored again).
 *   <li>{@link #inTransaction} runs its work atomically: all writes commit together, or none if the
 *       work throws. {@code DeviceCrypto} wraps every operation that writes more than once (a
 *       decrypt updates the session, the remote identity and consumes prekeys) in one call and
 *       never nests calls. Reads outside a transaction are allowed.
 *   <li>Several private records are stored here (identity key pair, prekeys, sessions): store the
 *       file with owner-only permissions.
 * </ul>
 *
 * <p>One {@code DeviceCrypto} per state: the facade serializes operations with its own lock, and
 * two facades over the same state would race. Every {@code DeviceCrypto} operation takes its lock
 * first and then calls {@link #inTransaction}; an implementation that lets callers run {@code
 * DeviceCrypto} inside their own, outer transaction must make sure no thread can hold that outer
 * transaction while waiting for the facade's lock that another thread holds while waiting for the
 * transaction (take the outer transaction on every path, or never nest).
 */
public interface ProtocolState {

  /** Work run inside {@link #inTransaction}. */
  @FunctionalInterface
  interface Work<T, E extends Exception> {
    T run() throws E;
  }

  /**
   * Runs {@code work} as one atomic unit: commits if it returns, rolls back every write made
   * through this state if it throws, and rethrows.
   */
  <T, E extends Exception> T inTransaction(Work<T, E> work) throws E;

  // ---- this device

  /** This device's identity, or empty before {@link DeviceCrypto#initialize} first ran. */
  Optional<LocalIdentity> loadLocalIdentity();

  /** Stores this device's identity; called once, when the device is first initialized. */
  void storeLocalIdentity(LocalIdentity identity);

  /** The last key id allocated in a series, or 0 if none was allocated yet. */
  int lastKeyId(KeyIdSeries series);

  /** Records the last key id allocated in a series. */
  void storeLastKeyId(KeyIdSeries series, int keyId);

  // ---- one-time EC prekeys (libsignal's serialized PreKeyRecord)

  Optional<byte[]> loadPreKey(int keyId);

  void storePreKey(int keyId, byte[] record);

  /** Removes a one-time prekey; a no-op if absent. */
  void removePreKey(int keyId);

  // ---- signed EC prekeys (libsignal's serialized SignedPreKeyRecord)

  Optional<byte[]> loadSignedPreKey(int keyId);

  void storeSignedPreKey(int keyId, byte[] record);

  /** Removes a signed prekey; a no-op if absent. */
  void removeSignedPreKey(int keyId);

  // ---- Kyber prekeys (libsignal's serialized KyberPreKeyRecord, plus our last-resort flag)

  Optional<byte[]> loadKyberPreKey(int keyId);

  /**
   * Stores a Kyber prekey. {@code lastResort} keys are kept after use; one-time keys are removed
   * after their first use. (libsignal's record does not carry this flag.) Storing under an id that
   * is taken (ids wrap) replaces the old key and forgets the uses recorded for it.
   */
  void storeKyberPreKey(int keyId, byte[] record, boolean lastResort);

  /** Whether the stored Kyber prekey is a last-resort one; false if absent. */
  boolean isLastResortKyberPreKey(int keyId);

  /** Removes a Kyber prekey and every use recorded for it; a no-op if absent. */
  void removeKyberPreKey(int keyId);

  /**
   * Records that a last-resort Kyber prekey was used with a signed prekey and a sender's base key
   * (33 bytes), if that triple was not recorded before (an insert-if-absent: in SQL, a primary key
   * over the three columns and {@code INSERT OR IGNORE}).
   *
   * @return true if recorded now, false if the triple was already recorded (a replayed message)
   */
  boolean recordLastResortKyberPreKeyUse(int kyberPreKeyId, int signedPreKeyId, byte[] baseKey);

  // ---- sessions (libsignal's serialized SessionRecord), one per remote device

  Optional<byte[]> loadSession(RemoteAddress address);

  void storeSession(RemoteAddress address, byte[] record);

  /** Deletes the session with one device; a no-op if absent. */
  void deleteSession(RemoteAddress address);

  /** Deletes the sessions with every device of an account. */
  void deleteSessions(AccountId accountId);

  /** True if a session with any device of an account is stored, whatever its state. */
  boolean hasSessions(AccountId accountId);

  // ---- remote identities, one per remote device

  /** The identity key trusted for a device, or empty if none is known yet. */
  Optional<IdentityPublicKey> loadRemoteIdentity(RemoteAddress address);

  /** Stores (or replaces) the identity key trusted for a device. */
  void storeRemoteIdentity(RemoteAddress address, IdentityPublicKey identityKey);

  /** Forgets the identity key trusted for a device; a no-op if absent. */
  void deleteRemoteIdentity(RemoteAddress address);

  // ---- sender keys (libsignal's serialized SenderKeyRecord), one per (sending device, chain)

  /** The sender-key record of one sending device (this one, or another) for a distribution id. */
  Optional<byte[]> loadSenderKey(RemoteAddress sender, java.util.UUID distributionId);

  void storeSenderKey(RemoteAddress sender, java.util.UUID distributionId, byte[] record);

  /** Forgets a sender-key record; a no-op if absent. */
  void deleteSenderKey(RemoteAddress sender, java.util.UUID distributionId);
}
