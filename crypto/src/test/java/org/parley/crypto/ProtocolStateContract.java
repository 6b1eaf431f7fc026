package org.parley.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;

/**
 * The contract every {@link ProtocolState} meets. Subclass it once per implementation (this
 * module's test-jar carries it for the client's SQLite state); {@link #newState} returns a fresh,
 * empty state, and {@link #reopen} the same durable state as a new object (as after a restart).
 */
public abstract class ProtocolStateContract {
  protected abstract ProtocolState newState() throws Exception;

  /** The same durable state opened again; in memory, the same object. */
  protected ProtocolState reopen(ProtocolState state) throws Exception {
    return state;
  }

  private ProtocolState state;
  private final RemoteAddress alice1 = new RemoteAddress(AccountId.random(), DeviceId.of(1));
  private final RemoteAddress alice2 = new RemoteAddress(alice1.accountId(), DeviceId.of(2));
  private final RemoteAddress bob1 = new RemoteAddress(AccountId.random(), DeviceId.of(1));

  @BeforeEach
  void open() throws Exception {
    state = newState();
  }

  @Test
  void emptyStateHasNothing() {
    assertThat(state.loadLocalIdentity()).isEmpty();
    for (KeyIdSeries series : KeyIdSeries.values()) {
      assertThat(state.lastKeyId(series)).isZero();
    }
    assertThat(state.loadPreKey(1)).isEmpty();
    assertThat(state.loadSignedPreKey(1)).isEmpty();
    assertThat(state.loadKyberPreKey(1)).isEmpty();
    assertThat(state.isLastResortKyberPreKey(1)).isFalse();
    assertThat(state.loadSession(alice1)).isEmpty();
    assertThat(state.loadRemoteIdentity(alice1)).isEmpty();
    state.removePreKey(1);
    state.removeSignedPreKey(1);
    state.removeKyberPreKey(1);
    state.deleteSession(alice1);
    state.deleteSessions(alice1.accountId());
  }

  @Test
  void recordsRoundTripAsCopies() {
    byte[] record = {1, 2, 3};
    state.storeSession(alice1, record);
    record[0] = 9;
    byte[] loaded = state.loadSession(alice1).orElseThrow();
    assertThat(loaded).containsExactly(1, 2, 3);
    loaded[1] = 9;
    assertThat(state.loadSession(alice1).orElseThrow()).containsExactly(1, 2, 3);

    state.storePreKey(7, new byte[] {7});
    state.storeSignedPreKey(7, new byte[] {8});
    state.storeKyberPreKey(7, new byte[] {9}, false);
    assertThat(state.loadPreKey(7).orElseThrow()).containsExactly(7);
    assertThat(state.loadSignedPreKey(7).orElseThrow()).containsExactly(8);
    assertThat(state.loadKyberPreKey(7).orElseThrow()).containsExactly(9);

    LocalIdentity identity = new LocalIdentity(new byte[] {5, 6}, 1234);
    state.storeLocalIdentity(identity);
    assertThat(state.loadLocalIdentity()).contains(identity);
  }

  @Test
  void keyIdSeriesAreIndependent() {
    state.storeLastKeyId(KeyIdSeries.KYBER_PREKEY, 42);
    assertThat(state.lastKeyId(KeyIdSeries.KYBER_PREKEY)).isEqualTo(42);
    assertThat(state.lastKeyId(KeyIdSeries.ONE_TIME_EC_PREKEY)).isZero();
    state.storeLastKeyId(KeyIdSeries.KYBER_PREKEY, 43);
    assertThat(state.lastKeyId(KeyIdSeries.KYBER_PREKEY)).isEqualTo(43);
  }

  @Test
  void lastResortFlagAndUsesAreKept() {
    byte[] baseKey = new byte[33];
    state.storeKyberPreKey(5, new byte[] {1}, true);
    state.storeKyberPreKey(6, new byte[] {2}, false);
    assertThat(state.isLastResortKyberPreKey(5)).isTrue();
    assertThat(state.isLastResortKyberPreKey(6)).isFalse();

    assertThat(state.recordLastResortKyberPreKeyUse(5, 1, baseKey)).isTrue();
    assertThat(state.recordLastResortKyberPreKeyUse(5, 1, baseKey.clone())).isFalse();
    assertThat(state.recordLastResortKyberPreKeyUse(5, 2, baseKey)).isTrue();
    baseKey[32] = 1;
    assertThat(state.recordLastResortKyberPreKeyUse(5, 1, baseKey)).isTrue();

    // a key stored again under a taken id (ids wrap) starts with no recorded uses
    state.storeKyberPreKey(5, new byte[] {3}, true);
    assertThat(state.recordLastResortKyberPreKeyUse(5, 1, baseKey)).isTrue();
    assertThat(state.loadKyberPreKey(5).orElseThrow()).containsExactly(3);

    state.removeKyberPreKey(5);
    assertThat(state.loadKyberPreKey(5)).isEmpty();
    assertThat(state.isLastResortKyberPreKey(5)).isFalse();
    // uses are forgotten with the key, so a key stored again under the id starts clean
    state.storeKyberPreKey(5, new byte[] {4}, true);
    assertThat(state.recordLastResortKyberPreKeyUse(5, 1, baseKey)).isTrue();
  }

  @Test
  void sessionsAreDeletedPerDeviceOrPerAccount() {
    state.storeSession(alice1, new byte[] {1});
    state.storeSession(alice2, new byte[] {2});
    state.storeSession(bob1, new byte[] {3});
    state.deleteSession(alice2);
    assertThat(state.loadSession(alice2)).isEmpty();
    assertThat(state.loadSession(alice1)).isPresent();
    state.storeSession(alice2, new byte[] {2});
    state.deleteSessions(alice1.accountId());
    assertThat(state.loadSession(alice1)).isEmpty();
    assertThat(state.loadSession(alice2)).isEmpty();
    assertThat(state.loadSession(bob1)).isPresent();
  }

  @Test
  void senderKeysAreKeptPerDeviceAndDistributionAndRollBack() {
    java.util.UUID first = java.util.UUID.randomUUID();
    java.util.UUID second = java.util.UUID.randomUUID();
    assertThat(state.loadSenderKey(alice1, first)).isEmpty();
    state.deleteSenderKey(alice1, first); // absent: a no-op
    byte[] record = {1, 2};
    state.storeSenderKey(alice1, first, record);
    record[0] = 9;
    state.storeSenderKey(alice1, second, new byte[] {3});
    state.storeSenderKey(alice2, first, new byte[] {4});
    assertThat(state.loadSenderKey(alice1, first).orElseThrow()).containsExactly(1, 2);
    assertThat(state.loadSenderKey(alice1, second).orElseThrow()).containsExactly(3);
    assertThat(state.loadSenderKey(alice2, first).orElseThrow()).containsExactly(4);
    assertThat(state.loadSenderKey(bob1, first)).isEmpty();

    state.storeSenderKey(alice1, first, new byte[] {5});
    assertThat(state.loadSenderKey(alice1, first).orElseThrow()).containsExactly(5);
    assertThatThrownBy(
            () ->
                state.inTransaction(
                    () -> {
                      state.storeSenderKey(alice1, first, new byte[] {6});
                      state.deleteSenderKey(alice2, first);
                      throw new IllegalStateException("boom");
                    }))
        .hasMessage("boom");
    assertThat(state.loadSenderKey(alice1, first).orElseThrow()).containsExactly(5);
    assertThat(state.loadSenderKey(alice2, first)).isPresent();

    state.deleteSenderKey(alice1, first);
    assertThat(state.loadSenderKey(alice1, first)).isEmpty();
    assertThat(state.loadSenderKey(alice1, second)).isPresent();
  }

  @Test
  void transactionCommitsOrRollsBackEverything() {
    IdentityPublicKey key = DeviceCrypto.initialize(new InMemoryProtocolState()).identityKey();
    state.storeSession(alice1, new byte[] {1});
    assertThatThrownBy(
            () ->
                state.inTransaction(
                    () -> {
                      state.storeSession(alice1, new byte[] {2});
                      state.storeSession(bob1, new byte[] {3});
                      state.storeRemoteIdentity(bob1, key);
                      state.storePreKey(1, new byte[] {4});
                      state.storeKyberPreKey(2, new byte[] {5}, true);
                      state.recordLastResortKyberPreKeyUse(2, 1, new byte[33]);
                      state.storeLastKeyId(KeyIdSeries.SIGNED_EC_PREKEY, 9);
                      throw new IllegalStateException("boom");
                    }))
        .hasMessage("boom");
    assertThat(state.loadSession(alice1).orElseThrow()).containsExactly(1);
    assertThat(state.loadSession(bob1)).isEmpty();
    assertThat(state.loadRemoteIdentity(bob1)).isEmpty();
    assertThat(state.loadPreKey(1)).isEmpty();
    assertThat(state.loadKyberPreKey(2)).isEmpty();
    assertThat(state.lastKeyId(KeyIdSeries.SIGNED_EC_PREKEY)).isZero();

    String result =
        state.inTransaction(
            () -> {
              state.storeSession(bob1, new byte[] {3});
              state.storeRemoteIdentity(bob1, key);
              return "done";
            });
    assertThat(result).isEqualTo("done");
    assertThat(state.loadSession(bob1)).isPresent();
    assertThat(state.loadRemoteIdentity(bob1)).contains(key);

    state.deleteRemoteIdentity(bob1);
    assertThat(state.loadRemoteIdentity(bob1)).isEmpty();
    state.deleteRemoteIdentity(bob1); // absent: a no-op
  }

  @Test
  void checkedExceptionsPassThroughTransactions() {
    assertThatThrownBy(
            () ->
                state.inTransaction(
                    () -> {
                      throw new InvalidKeyMaterialException("checked");
                    }))
        .isInstanceOf(InvalidKeyMaterialException.class);
  }

  @Test
  void devicesTalkOverThisStateAcrossRestarts() throws Exception {
    ProtocolState bobState = newState();
    DeviceCrypto alice = DeviceCrypto.initialize(state);
    DeviceCrypto bob = DeviceCrypto.initialize(bobState);
    SignedPreKeyPublic signed = bob.newSignedPreKey();
    KyberPreKeyPublic lastResort = bob.newLastResortKyberPreKey();
    PreKeyBundle bundle =
        new PreKeyBundle(
            bob1,
            bob.registrationId(),
            bob.identityKey(),
            signed,
            null, // last-resort keys only, so the replay below meets the recorded base key
            lastResort);
    alice.trustIdentity(bob1, bob.identityKey());
    bob.trustIdentity(alice1, alice.identityKey());
    alice.startSession(bundle);
    Ciphertext first = alice.encrypt(bob1, "hello".getBytes(UTF_8));
    assertThat(bob.decrypt(alice1, first)).isEqualTo("hello".getBytes(UTF_8));

    bob = DeviceCrypto.initialize(reopen(bobState));
    alice = DeviceCrypto.initialize(reopen(state));
    assertThat(alice.decrypt(bob1, bob.encrypt(alice1, "back".getBytes(UTF_8))))
        .isEqualTo("back".getBytes(UTF_8));
    bob.deleteSession(alice1);
    DeviceCrypto bobNow = bob;
    assertThatThrownBy(() -> bobNow.decrypt(alice1, first))
        .isInstanceOf(DuplicateCiphertextException.class);
  }
}
