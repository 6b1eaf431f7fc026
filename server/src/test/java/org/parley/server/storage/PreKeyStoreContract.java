package org.parley.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.keys.DeviceBundle;
import org.parley.protocol.keys.DeviceKeys;
import org.parley.protocol.keys.KeyCounts;
import org.parley.protocol.keys.KyberPreKey;
import org.parley.protocol.keys.PreKey;
import org.parley.protocol.keys.SignedPreKey;
import org.parley.server.account.Account;

/** The contract of {@link org.parley.server.prekey.PreKeyStore}. */
public abstract class PreKeyStoreContract extends StoreContractBase {
  private static final DeviceId ONE = DeviceId.of(1);

  @Test
  void bundlesHandOutTheOldestOneTimeKeysThenTheLastResortKyberKey() {
    List<PreKey> ec =
        List.of(StoreFixture.preKey(50), StoreFixture.preKey(7), StoreFixture.preKey(30));
    List<KyberPreKey> kyber = List.of(StoreFixture.kyberPreKey(9), StoreFixture.kyberPreKey(2));
    DeviceKeys keys = StoreFixture.deviceKeys(77, ec, kyber);
    Account account =
        register(StoreFixture.newDevice("phone", "password-password-password", keys, 1L));

    List<DeviceBundle> bundles = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      bundles.add(store.preKeys().takeBundle(account.id(), ONE).orElseThrow());
    }

    assertThat(bundles)
        .extracting(b -> b.preKey() == null ? null : b.preKey().keyId())
        .containsExactly(50, 7, 30, null);
    assertThat(bundles)
        .extracting(b -> b.kyberPreKey().keyId())
        .containsExactly(9, 2, 0xFFFFFF, 0xFFFFFF);
    assertThat(bundles.get(0).preKey()).usingRecursiveComparison().isEqualTo(ec.get(0));
    assertThat(bundles.get(0).kyberPreKey()).usingRecursiveComparison().isEqualTo(kyber.get(0));
    assertThat(bundles.get(3).kyberPreKey())
        .usingRecursiveComparison()
        .isEqualTo(keys.lastResortKyberPreKey());
    DeviceBundle last = bundles.get(3);
    assertThat(last.deviceId()).isEqualTo(ONE);
    assertThat(last.registrationId()).isEqualTo(77);
    assertThat(last.identityKey()).isEqualTo(keys.identityKey());
    assertThat(last.signedPreKey()).usingRecursiveComparison().isEqualTo(keys.signedPreKey());
    assertThat(store.preKeys().counts(account.id(), ONE)).isEqualTo(new KeyCounts(0, 0));
  }

  @Test
  void countsFollowUploadsAndFetches() {
    Account account = register(1);
    assertThat(store.preKeys().counts(account.id(), ONE)).isEqualTo(new KeyCounts(3, 3));

    store
        .preKeys()
        .update(
            account.id(),
            ONE,
            null,
            null,
            StoreFixture.preKeys(100, 10),
            StoreFixture.kyberPreKeys(100, 5));
    assertThat(store.preKeys().counts(account.id(), ONE)).isEqualTo(new KeyCounts(13, 8));

    store.preKeys().takeBundle(account.id(), ONE);
    assertThat(store.preKeys().counts(account.id(), ONE)).isEqualTo(new KeyCounts(12, 7));
    assertThat(store.preKeys().counts(AccountId.random(), ONE)).isEqualTo(new KeyCounts(0, 0));
  }

  @Test
  void updateReplacesSignedAndLastResortKeysAndKeysWithAStoredId() {
    Account account = register(1); // one-time keys 1..3 of each kind
    SignedPreKey signed = StoreFixture.signedPreKey(2);
    KyberPreKey lastResort = StoreFixture.kyberPreKey(4242);
    PreKey replacement = StoreFixture.preKey(1);
    KyberPreKey kyberReplacement = StoreFixture.kyberPreKey(1);

    assertThat(
            store
                .preKeys()
                .update(
                    account.id(),
                    ONE,
                    signed,
                    lastResort,
                    List.of(replacement),
                    List.of(kyberReplacement)))
        .isTrue();

    assertThat(store.preKeys().counts(account.id(), ONE)).isEqualTo(new KeyCounts(3, 3));
    DeviceBundle bundle = store.preKeys().takeBundle(account.id(), ONE).orElseThrow();
    assertThat(bundle.signedPreKey()).usingRecursiveComparison().isEqualTo(signed);
    assertThat(bundle.preKey()).usingRecursiveComparison().isEqualTo(replacement);
    assertThat(bundle.kyberPreKey()).usingRecursiveComparison().isEqualTo(kyberReplacement);
    store.preKeys().takeBundle(account.id(), ONE);
    store.preKeys().takeBundle(account.id(), ONE);
    assertThat(store.preKeys().takeBundle(account.id(), ONE).orElseThrow().kyberPreKey())
        .usingRecursiveComparison()
        .isEqualTo(lastResort);
  }

  @Test
  void updateWithNothingGivenLeavesEverythingAndAnUnknownDeviceStoresNothing() {
    DeviceKeys keys = StoreFixture.deviceKeys(5);
    Account account =
        register(StoreFixture.newDevice("phone", "password-password-password", keys, 1L));

    assertThat(store.preKeys().update(account.id(), ONE, null, null, null, List.of())).isTrue();
    assertThat(
            store
                .preKeys()
                .update(account.id(), DeviceId.of(2), null, null, StoreFixture.preKeys(9, 2), null))
        .isFalse();
    assertThat(
            store
                .preKeys()
                .update(AccountId.random(), ONE, StoreFixture.signedPreKey(3), null, null, null))
        .isFalse();

    assertThat(store.preKeys().counts(account.id(), ONE)).isEqualTo(new KeyCounts(3, 3));
    assertThat(store.preKeys().counts(account.id(), DeviceId.of(2))).isEqualTo(new KeyCounts(0, 0));
    assertThat(store.preKeys().takeBundle(account.id(), ONE).orElseThrow().signedPreKey())
        .usingRecursiveComparison()
        .isEqualTo(keys.signedPreKey());
  }

  @Test
  void unknownDevicesHaveNoBundle() {
    Account account = register(1);
    assertThat(store.preKeys().takeBundle(account.id(), DeviceId.of(3))).isEmpty();
    assertThat(store.preKeys().takeBundle(AccountId.random(), ONE)).isEmpty();
  }

  @Test
  void concurrentFetchesNeverGetTheSameOneTimeKey() throws Exception {
    int keys = 60;
    DeviceKeys deviceKeys =
        StoreFixture.deviceKeys(
            1, StoreFixture.preKeys(1, keys), StoreFixture.kyberPreKeys(1, keys));
    Account account =
        register(StoreFixture.newDevice("phone", "password-password-password", deviceKeys, 1L));
    int threads = 4;
    int perThread = keys / threads + 5; // more fetches than keys: the last ones find none left
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<List<DeviceBundle>>> results = new ArrayList<>();
    try {
      for (int t = 0; t < threads; t++) {
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  List<DeviceBundle> mine = new ArrayList<>();
                  for (int i = 0; i < perThread; i++) {
                    mine.add(store.preKeys().takeBundle(account.id(), ONE).orElseThrow());
                  }
                  return mine;
                }));
      }
      start.countDown();
      List<Integer> ecTaken = new ArrayList<>();
      List<Integer> kyberTaken = new ArrayList<>();
      for (Future<List<DeviceBundle>> result : results) {
        for (DeviceBundle bundle : result.get()) {
          if (bundle.preKey() != null) {
            ecTaken.add(bundle.preKey().keyId());
          }
          if (bundle.kyberPreKey().keyId() != 0xFFFFFF) {
            kyberTaken.add(bundle.kyberPreKey().keyId());
          }
        }
      }
      Set<Integer> all = new HashSet<>();
      for (int i = 1; i <= keys; i++) {
        all.add(i);
      }
      assertThat(ecTaken).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(all);
      assertThat(kyberTaken).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(all);
      assertThat(store.preKeys().counts(account.id(), ONE)).isEqualTo(new KeyCounts(0, 0));
    } finally {
      pool.shutdownNow();
    }
  }
}
