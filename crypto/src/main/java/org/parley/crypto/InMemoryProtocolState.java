package org.parley.crypto;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.parley.protocol.AccountId;

/**
 * A {@link ProtocolState} in memory, for tests and benchmarks only: nothing survives the process.
 * Transactions are real (a failed one restores the snapshot taken at its start), so tests see the
 * same all-or-nothing behaviour as the SQLite implementation.
 */
public final class InMemoryProtocolState implements ProtocolState {
  private record Used(int kyberPreKeyId, int signedPreKeyId, ByteBuffer baseKey) {}

  private record Snapshot(
      LocalIdentity identity,
      Map<KeyIdSeries, Integer> lastIds,
      Map<Integer, byte[]> preKeys,
      Map<Integer, byte[]> signedPreKeys,
      Map<Integer, byte[]> kyberPreKeys,
      Set<Integer> lastResort,
      Set<Used> used,
      Map<RemoteAddress, byte[]> sessions,
      Map<RemoteAddress, IdentityPublicKey> identities,
      Map<SenderKeyId, byte[]> senderKeys) {}

  private record SenderKeyId(RemoteAddress sender, java.util.UUID distributionId) {}

  private LocalIdentity identity;
  private Map<KeyIdSeries, Integer> lastIds = new HashMap<>();
  private Map<Integer, byte[]> preKeys = new HashMap<>();
  private Map<Integer, byte[]> signedPreKeys = new HashMap<>();
  private Map<Integer, byte[]> kyberPreKeys = new HashMap<>();
  private Set<Integer> lastResort = new HashSet<>();
  private Set<Used> used = new HashSet<>();
  private Map<RemoteAddress, byte[]> sessions = new HashMap<>();
  private Map<RemoteAddress, IdentityPublicKey> identities = new HashMap<>();
  private Map<SenderKeyId, byte[]> senderKeys = new HashMap<>();
  private int depth;

  @Override
  public synchronized <T, E extends Exception> T inTransaction(Work<T, E> work) throws E {
    if (depth > 0) {
      throw new IllegalStateException("nested transaction");
    }
    // Values are never mutated in place (byte arrays are copied in and out), so a shallow copy
    // of each map is a snapshot.
    Snapshot before =
        new Snapshot(
            identity,
            new HashMap<>(lastIds),
            new HashMap<>(preKeys),
            new HashMap<>(signedPreKeys),
            new HashMap<>(kyberPreKeys),
            new HashSet<>(lastResort),
            new HashSet<>(used),
            new HashMap<>(sessions),
            new HashMap<>(identities),
            new HashMap<>(senderKeys));
    depth++;
    try {
      return work.run();
    } catch (Throwable t) {
      identity = before.identity();
      lastIds = before.lastIds();
      preKeys = before.preKeys();
      signedPreKeys = before.signedPreKeys();
      kyberPreKeys = before.kyberPreKeys();
      lastResort = before.lastResort();
      used = before.used();
      sessions = before.sessions();
      identities = before.identities();
      senderKeys = before.senderKeys();
      throw t;
    } finally {
      depth--;
    }
  }

  @Override
  public synchronized Optional<LocalIdentity> loadLocalIdentity() {
    return Optional.ofNullable(identity);
  }

  @Override
  public synchronized void storeLocalIdentity(LocalIdentity identity) {
    this.identity = identity;
  }

  @Override
  public synchronized int lastKeyId(KeyIdSeries series) {
    return lastIds.getOrDefault(series, 0);
  }

  @Override
  public synchronized void storeLastKeyId(KeyIdSeries series, int keyId) {
    lastIds.put(series, keyId);
  }

  @Override
  public synchronized Optional<byte[]> loadPreKey(int keyId) {
    return copy(preKeys.get(keyId));
  }

  @Override
  public synchronized void storePreKey(int keyId, byte[] record) {
    preKeys.put(keyId, record.clone());
  }

  @Override
  public synchronized void removePreKey(int keyId) {
    preKeys.remove(keyId);
  }

  @Override
  public synchronized Optional<byte[]> loadSignedPreKey(int keyId) {
    return copy(signedPreKeys.get(keyId));
  }

  @Override
  public synchronized void storeSignedPreKey(int keyId, byte[] record) {
    signedPreKeys.put(keyId, record.clone());
  }

  @Override
  public synchronized void removeSignedPreKey(int keyId) {
    signedPreKeys.remove(keyId);
  }

  @Override
  public synchronized Optional<byte[]> loadKyberPreKey(int keyId) {
    return copy(kyberPreKeys.get(keyId));
  }

  @Override
  public synchronized void storeKyberPreKey(int keyId, byte[] record, boolean lastResort) {
    kyberPreKeys.put(keyId, record.clone());
    used.removeIf(u -> u.kyberPreKeyId() == keyId); // uses of a replaced key belong to it
    if (lastResort) {
      this.lastResort.add(keyId);
    } else {
      this.lastResort.remove(keyId);
    }
  }

  @Override
  public synchronized boolean isLastResortKyberPreKey(int keyId) {
    return kyberPreKeys.containsKey(keyId) && lastResort.contains(keyId);
  }

  @Override
  public synchronized void removeKyberPreKey(int keyId) {
    kyberPreKeys.remove(keyId);
    lastResort.remove(keyId);
    used.removeIf(u -> u.kyberPreKeyId() == keyId);
  }

  @Override
  public synchronized boolean recordLastResortKyberPreKeyUse(
      int kyberPreKeyId, int signedPreKeyId, byte[] baseKey) {
    return used.add(new Used(kyberPreKeyId, signedPreKeyId, ByteBuffer.wrap(baseKey.clone())));
  }

  @Override
  public synchronized Optional<byte[]> loadSession(RemoteAddress address) {
    return copy(sessions.get(address));
  }

  @Override
  public synchronized void storeSession(RemoteAddress address, byte[] record) {
    sessions.put(address, record.clone());
  }

  @Override
  public synchronized void deleteSession(RemoteAddress address) {
    sessions.remove(address);
  }

  @Override
  public synchronized void deleteSessions(AccountId accountId) {
    sessions.keySet().removeIf(a -> a.accountId().equals(accountId));
  }

  @Override
  public synchronized boolean hasSessions(AccountId accountId) {
    return sessions.keySet().stream().anyMatch(a -> a.accountId().equals(accountId));
  }

  @Override
  public synchronized Optional<IdentityPublicKey> loadRemoteIdentity(RemoteAddress address) {
    return Optional.ofNullable(identities.get(address));
  }

  @Override
  public synchronized void storeRemoteIdentity(RemoteAddress address, IdentityPublicKey key) {
    identities.put(address, key);
  }

  @Override
  public synchronized void deleteRemoteIdentity(RemoteAddress address) {
    identities.remove(address);
  }

  /** Test hook: the ids of the Kyber prekeys currently stored. */
  public synchronized List<Integer> kyberPreKeyIds() {
    return kyberPreKeys.keySet().stream().sorted().toList();
  }

  /** Test hook: the ids of the one-time EC prekeys currently stored. */
  public synchronized List<Integer> preKeyIds() {
    return preKeys.keySet().stream().sorted().toList();
  }

  private static Optional<byte[]> copy(byte[] bytes) {
    return Optional.ofNullable(bytes).map(byte[]::clone);
  }

  @Override
  public synchronized Optional<byte[]> loadSenderKey(
      RemoteAddress sender, java.util.UUID distributionId) {
    return copy(senderKeys.get(new SenderKeyId(sender, distributionId)));
  }

  @Override
  public synchronized void storeSenderKey(
      RemoteAddress sender, java.util.UUID distributionId, byte[] record) {
    senderKeys.put(new SenderKeyId(sender, distributionId), record.clone());
  }

  @Override
  public synchronized void deleteSenderKey(RemoteAddress sender, java.util.UUID distributionId) {
    senderKeys.remove(new SenderKeyId(sender, distributionId));
  }
}
