package org.parley.crypto;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.signal.libsignal.protocol.IdentityKey;
import org.signal.libsignal.protocol.IdentityKeyPair;
import org.signal.libsignal.protocol.InvalidKeyException;
import org.signal.libsignal.protocol.InvalidKeyIdException;
import org.signal.libsignal.protocol.InvalidMessageException;
import org.signal.libsignal.protocol.ReusedBaseKeyException;
import org.signal.libsignal.protocol.SignalProtocolAddress;
import org.signal.libsignal.protocol.ecc.ECPublicKey;
import org.signal.libsignal.protocol.groups.state.SenderKeyRecord;
import org.signal.libsignal.protocol.state.KyberPreKeyRecord;
import org.signal.libsignal.protocol.state.PreKeyRecord;
import org.signal.libsignal.protocol.state.SessionRecord;
import org.signal.libsignal.protocol.state.SignalProtocolStore;
import org.signal.libsignal.protocol.state.SignedPreKeyRecord;

/**
 * libsignal's store interfaces over our byte-shaped {@link ProtocolState}. libsignal calls it
 * synchronously from inside a cipher or builder call; {@link DeviceCrypto} holds its lock and an
 * open transaction around every such call.
 *
 * <p>Trust is never on first use: a key is trusted only if it equals the key stored for the
 * address, and keys are stored only through {@link DeviceCrypto#trustIdentity} (the client calls it
 * for keys the key-transparency log proved). So a PreKey message under a key nobody proved, or from
 * an address nobody proved, is refused by libsignal itself, whatever the caller checked.
 */
class LibsignalStore implements SignalProtocolStore {
  private final ProtocolState state;
  private final IdentityKeyPair identityKeyPair;
  private final int registrationId;

  LibsignalStore(ProtocolState state, IdentityKeyPair identityKeyPair, int registrationId) {
    this.state = state;
    this.identityKeyPair = identityKeyPair;
    this.registrationId = registrationId;
  }

  /**
   * This store, answering {@link #getIdentity} for the extra names too: the per-device delivery
   * service ids a multi-recipient sealed message addresses (SealedSender), which are not accounts.
   */
  LibsignalStore withIdentities(java.util.Map<String, IdentityKey> extra) {
    java.util.Map<String, IdentityKey> copy = java.util.Map.copyOf(extra);
    return new LibsignalStore(state, identityKeyPair, registrationId) {
      @Override
      public IdentityKey getIdentity(SignalProtocolAddress address) {
        IdentityKey key = copy.get(address.getName());
        return key != null ? key : super.getIdentity(address);
      }
    };
  }

  static RemoteAddress toRemote(SignalProtocolAddress address) {
    return new RemoteAddress(AccountId.of(address.getName()), DeviceId.of(address.getDeviceId()));
  }

  static SignalProtocolAddress toSignal(RemoteAddress address) {
    return new SignalProtocolAddress(address.accountId().value(), address.deviceId().value());
  }

  static IdentityPublicKey toPublic(IdentityKey key) {
    return new IdentityPublicKey(key.serialize());
  }

  static IdentityKey toLibsignal(IdentityPublicKey key) {
    try {
      return new IdentityKey(key.bytes());
    } catch (InvalidKeyException e) {
      throw new IllegalStateException("IdentityPublicKey was validated when built", e);
    }
  }

  // ---- IdentityKeyStore

  @Override
  public IdentityKeyPair getIdentityKeyPair() {
    return identityKeyPair;
  }

  @Override
  public int getLocalRegistrationId() {
    return registrationId;
  }

  @Override
  public IdentityChange saveIdentity(SignalProtocolAddress address, IdentityKey identityKey) {
    // libsignal saves the identity of every session it builds or accepts, always after
    // isTrustedIdentity said yes, so the key is the stored one. Storing anything here would be
    // trust on first use through the back door: keys are stored only by DeviceCrypto.trustIdentity.
    return IdentityChange.NEW_OR_UNCHANGED;
  }

  @Override
  public boolean isTrustedIdentity(
      SignalProtocolAddress address, IdentityKey identityKey, Direction direction) {
    var stored = state.loadRemoteIdentity(toRemote(address));
    return stored.isPresent() && stored.get().equals(toPublic(identityKey));
  }

  @Override
  public IdentityKey getIdentity(SignalProtocolAddress address) {
    return state
        .loadRemoteIdentity(toRemote(address))
        .map(LibsignalStore::toLibsignal)
        .orElse(null);
  }

  // ---- PreKeyStore

  @Override
  public PreKeyRecord loadPreKey(int preKeyId) throws InvalidKeyIdException {
    byte[] bytes =
        state
            .loadPreKey(preKeyId)
            .orElseThrow(() -> new InvalidKeyIdException("no prekey " + preKeyId));
    try {
      return new PreKeyRecord(bytes);
    } catch (InvalidMessageException e) {
      throw new IllegalStateException("stored prekey " + preKeyId + " is corrupt", e);
    }
  }

  @Override
  public void storePreKey(int preKeyId, PreKeyRecord record) {
    state.storePreKey(preKeyId, record.serialize());
  }

  @Override
  public boolean containsPreKey(int preKeyId) {
    return state.loadPreKey(preKeyId).isPresent();
  }

  @Override
  public void removePreKey(int preKeyId) {
    state.removePreKey(preKeyId);
  }

  // ---- SignedPreKeyStore

  @Override
  public SignedPreKeyRecord loadSignedPreKey(int signedPreKeyId) throws InvalidKeyIdException {
    byte[] bytes =
        state
            .loadSignedPreKey(signedPreKeyId)
            .orElseThrow(() -> new InvalidKeyIdException("no signed prekey " + signedPreKeyId));
    try {
      return new SignedPreKeyRecord(bytes);
    } catch (InvalidMessageException e) {
      throw new IllegalStateException("stored signed prekey " + signedPreKeyId + " is corrupt", e);
    }
  }

  @Override
  public List<SignedPreKeyRecord> loadSignedPreKeys() {
    throw new UnsupportedOperationException(
        "not called by the protocol; not kept by ProtocolState");
  }

  @Override
  public void storeSignedPreKey(int signedPreKeyId, SignedPreKeyRecord record) {
    state.storeSignedPreKey(signedPreKeyId, record.serialize());
  }

  @Override
  public boolean containsSignedPreKey(int signedPreKeyId) {
    return state.loadSignedPreKey(signedPreKeyId).isPresent();
  }

  @Override
  public void removeSignedPreKey(int signedPreKeyId) {
    state.removeSignedPreKey(signedPreKeyId);
  }

  // ---- KyberPreKeyStore

  @Override
  public KyberPreKeyRecord loadKyberPreKey(int kyberPreKeyId) throws InvalidKeyIdException {
    byte[] bytes =
        state
            .loadKyberPreKey(kyberPreKeyId)
            .orElseThrow(() -> new InvalidKeyIdException("no Kyber prekey " + kyberPreKeyId));
    try {
      return new KyberPreKeyRecord(bytes);
    } catch (InvalidMessageException e) {
      throw new IllegalStateException("stored Kyber prekey " + kyberPreKeyId + " is corrupt", e);
    }
  }

  @Override
  public List<KyberPreKeyRecord> loadKyberPreKeys() {
    throw new UnsupportedOperationException(
        "not called by the protocol; not kept by ProtocolState");
  }

  @Override
  public void storeKyberPreKey(int kyberPreKeyId, KyberPreKeyRecord record) {
    throw new UnsupportedOperationException("DeviceCrypto stores Kyber prekeys with their flag");
  }

  @Override
  public boolean containsKyberPreKey(int kyberPreKeyId) {
    return state.loadKyberPreKey(kyberPreKeyId).isPresent();
  }

  /**
   * A one-time Kyber prekey is deleted; a last-resort one is kept, and the same (Kyber prekey,
   * signed prekey, base key) seen twice is a replayed PreKey message, rejected. libsignal's bundled
   * in-memory store gets this wrong.
   */
  @Override
  public void markKyberPreKeyUsed(int kyberPreKeyId, int signedPreKeyId, ECPublicKey baseKey)
      throws ReusedBaseKeyException {
    if (!state.isLastResortKyberPreKey(kyberPreKeyId)) {
      state.removeKyberPreKey(kyberPreKeyId);
    } else if (!state.recordLastResortKyberPreKeyUse(
        kyberPreKeyId, signedPreKeyId, baseKey.serialize())) {
      throw new ReusedBaseKeyException("base key reused with last-resort Kyber prekey");
    }
  }

  // ---- SessionStore

  @Override
  public SessionRecord loadSession(SignalProtocolAddress address) {
    // A fresh object every time: libsignal mutates what it loads.
    var bytes = state.loadSession(toRemote(address));
    if (bytes.isEmpty()) {
      return new SessionRecord();
    }
    try {
      return new SessionRecord(bytes.get());
    } catch (InvalidMessageException e) {
      throw new IllegalStateException("stored session with " + address + " is corrupt", e);
    }
  }

  @Override
  public List<SessionRecord> loadExistingSessions(List<SignalProtocolAddress> addresses) {
    throw new UnsupportedOperationException("multi-recipient sealed sender is not supported yet");
  }

  @Override
  public List<Integer> getSubDeviceSessions(String name) {
    throw new UnsupportedOperationException("not called by the protocol");
  }

  @Override
  public void storeSession(SignalProtocolAddress address, SessionRecord record) {
    state.storeSession(toRemote(address), record.serialize());
  }

  @Override
  public boolean containsSession(SignalProtocolAddress address) {
    return state.loadSession(toRemote(address)).isPresent();
  }

  @Override
  public void deleteSession(SignalProtocolAddress address) {
    state.deleteSession(toRemote(address));
  }

  @Override
  public void deleteAllSessions(String name) {
    state.deleteSessions(AccountId.of(name));
  }

  // ---- SenderKeyStore

  @Override
  public void storeSenderKey(
      SignalProtocolAddress sender, UUID distributionId, SenderKeyRecord record) {
    state.storeSenderKey(toRemote(sender), distributionId, record.serialize());
  }

  @Override
  public SenderKeyRecord loadSenderKey(SignalProtocolAddress sender, UUID distributionId) {
    Optional<byte[]> stored = state.loadSenderKey(toRemote(sender), distributionId);
    if (stored.isEmpty()) {
      return null; // libsignal's contract for "none"
    }
    try {
      return new SenderKeyRecord(stored.get());
    } catch (InvalidMessageException e) {
      throw new IllegalStateException("stored sender key of " + sender + " is corrupt", e);
    }
  }
}
