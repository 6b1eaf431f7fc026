package org.parley.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.server.account.Account;
import org.parley.server.account.HandleTakenException;
import org.parley.server.device.DeviceStore.Removal;
import org.parley.server.kt.KtAuditorHead;
import org.parley.server.kt.KtEarlyProof;
import org.parley.server.kt.KtEntry;
import org.parley.server.kt.KtEpoch;
import org.parley.server.kt.KtLeaf;
import org.parley.server.kt.KtPending;
import org.parley.server.kt.KtPendingAccount;
import org.parley.server.kt.KtPositionException;
import org.parley.server.kt.KtVersion;
import org.parley.server.link.ApproverRemovedException;
import org.parley.server.link.PendingLink;

/**
 * The contract of {@link org.parley.server.kt.KtStore}. The log is one per database and the
 * database is shared by every contract of a run, so each test works from the current size and looks
 * only at its own labels and accounts.
 */
public abstract class KtStoreContract extends StoreContractBase {
  private static KtLeaf leaf() {
    return new KtLeaf(StoreFixture.bytes(32), StoreFixture.bytes(32));
  }

  private static KtVersion version(byte[] label, long version, long position, byte[] value) {
    return new KtVersion(
        label, version, position, StoreFixture.bytes(80), StoreFixture.bytes(16), value);
  }

  private static KtEntry entry(long position) {
    return new KtEntry(
        position, 1_800_000_000_000L + position, StoreFixture.bytes(32), StoreFixture.bytes(64));
  }

  private static KtEpoch epoch(
      long position, int leaves, List<KtVersion> versions, List<KtPending> published) {
    List<KtLeaf> written = new ArrayList<>();
    for (int i = 0; i < leaves; i++) {
      written.add(leaf());
    }
    return new KtEpoch(entry(position), written, versions, published);
  }

  private List<KtEpoch> replay(long from, long to) {
    List<KtEpoch> seen = new ArrayList<>();
    store.kt().forEachEpoch(from, to, seen::add);
    return seen;
  }

  /** What the replay gives back of an appended epoch: all of it but the published rows. */
  private static KtEpoch stored(KtEpoch appended) {
    return new KtEpoch(appended.entry(), appended.leaves(), appended.versions(), List.of());
  }

  private Optional<Long> pendingSeq(AccountId account) {
    return store.kt().pending(Integer.MAX_VALUE).stream()
        .filter(p -> p.account().equals(account))
        .map(KtPending::seq)
        .findFirst();
  }

  @Test
  void appendedEpochsReplayByteExactInOrderAcrossAReopen() {
    long base = store.kt().size();
    byte[] label = StoreFixture.bytes(20);
    byte[] other = StoreFixture.bytes(7);
    KtEpoch first =
        epoch(base, 3, List.of(version(label, 0, base, StoreFixture.bytes(300))), List.of());
    KtEpoch empty = epoch(base + 1, 0, List.of(), List.of());
    KtEpoch third =
        epoch(
            base + 2,
            200,
            List.of(
                version(other, 0, base + 2, StoreFixture.bytes(1)),
                version(label, 1, base + 2, new byte[0])), // an empty value is kept as empty
            List.of(new KtPending(AccountId.random(), 1)));
    List<KtEpoch> epochs = List.of(first, empty, third);
    epochs.forEach(store.kt()::append);

    store.close();
    store = open();

    assertThat(store.kt().size()).isEqualTo(base + 3);
    assertThat(replay(base, base + 3)).containsExactly(stored(first), empty, stored(third));
    assertThat(replay(base + 1, base + 2)).containsExactly(empty);
    assertThat(replay(base + 3, base + 100)).isEmpty();
    assertThat(store.kt().entry(base + 2)).contains(third.entry());
    assertThat(store.kt().entry(base + 3)).isEmpty();
    assertThat(store.kt().version(label, 0)).contains(first.versions().get(0));
    assertThat(store.kt().version(label, 1)).contains(third.versions().get(1));
    assertThat(store.kt().version(label, 1).orElseThrow().value()).isEmpty();
    assertThat(store.kt().version(label, 2)).isEmpty();
    assertThat(store.kt().version(other, 0)).contains(third.versions().get(0));
  }

  @Test
  void theVersionIndexListsLabelVersionsByLabelThenVersionBelowTheBound() {
    long base = store.kt().size();
    byte[] label = StoreFixture.bytes(24);
    store
        .kt()
        .append(epoch(base, 1, List.of(version(label, 0, base, StoreFixture.bytes(5))), List.of()));
    store
        .kt()
        .append(
            epoch(
                base + 1,
                1,
                List.of(version(label, 1, base + 1, StoreFixture.bytes(5))),
                List.of()));
    store
        .kt()
        .append(
            epoch(
                base + 2,
                1,
                List.of(version(label, 2, base + 2, StoreFixture.bytes(5))),
                List.of()));

    List<long[]> ours = new ArrayList<>();
    List<byte[]> labels = new ArrayList<>();
    store
        .kt()
        .forEachVersion(
            base + 2,
            (l, v, p) -> {
              labels.add(l);
              if (Arrays.equals(l, label)) {
                ours.add(new long[] {v, p});
              }
            });

    assertThat(ours).containsExactly(new long[] {0, base}, new long[] {1, base + 1});
    for (int i = 1; i < labels.size(); i++) {
      assertThat(Arrays.compareUnsigned(labels.get(i - 1), labels.get(i))).isLessThanOrEqualTo(0);
    }
  }

  @Test
  void onlyTheNextPositionCanBeAppended() {
    long base = store.kt().size();

    assertThatThrownBy(() -> store.kt().append(epoch(base + 1, 1, List.of(), List.of())))
        .isInstanceOf(KtPositionException.class)
        .hasMessageContaining("next position is " + base);
    assertThat(store.kt().size()).isEqualTo(base);

    store.kt().append(epoch(base, 1, List.of(), List.of()));
    KtEpoch again = epoch(base, 2, List.of(), List.of());
    assertThatThrownBy(() -> store.kt().append(again)).isInstanceOf(KtPositionException.class);
    assertThat(store.kt().size()).isEqualTo(base + 1);
    assertThat(replay(base, base + 1))
        .singleElement()
        .extracting(KtEpoch::leaves)
        .asList()
        .hasSize(1);
  }

  @Test
  void aFailingAppendStoresNothing() {
    Account account = register(1);
    long seq = pendingSeq(account.id()).orElseThrow();
    long base = store.kt().size();
    byte[] label = StoreFixture.bytes(20);
    byte[] fresh = StoreFixture.bytes(20);
    store
        .kt()
        .append(epoch(base, 1, List.of(version(label, 0, base, StoreFixture.bytes(3))), List.of()));
    KtEpoch failing =
        epoch(
            base + 1,
            5,
            List.of(
                version(fresh, 0, base + 1, StoreFixture.bytes(3)),
                version(label, 0, base + 1, StoreFixture.bytes(3))), // stored already
            List.of(new KtPending(account.id(), seq)));

    assertThatThrownBy(() -> store.kt().append(failing))
        .isInstanceOf(IllegalStateException.class)
        .isNotInstanceOf(KtPositionException.class)
        .hasMessageContaining("already stored");

    assertThat(store.kt().size()).isEqualTo(base + 1);
    assertThat(store.kt().entry(base + 1)).isEmpty();
    assertThat(replay(base + 1, Long.MAX_VALUE)).isEmpty();
    assertThat(store.kt().version(fresh, 0)).isEmpty();
    assertThat(pendingSeq(account.id())).contains(seq);
    // and the position is still free
    store.kt().append(epoch(base + 1, 2, List.of(), List.of()));
    assertThat(store.kt().size()).isEqualTo(base + 2);
  }

  @Test
  void epochsAppendedTogetherAreStoredTogetherAndReplayInOrder() {
    Account account = register(1);
    long seq = pendingSeq(account.id()).orElseThrow();
    long base = store.kt().size();
    List<KtEpoch> group = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      long position = base + i;
      List<KtVersion> versions = new ArrayList<>();
      for (int v = 0; v < 130; v++) { // past one multi-row statement, with a rest
        versions.add(version(StoreFixture.bytes(20), 0, position, StoreFixture.bytes(40 + v)));
      }
      group.add(
          epoch(
              position,
              i == 2 ? 0 : 101 + i,
              i == 2 ? List.of() : versions,
              i == 3 ? List.of(new KtPending(account.id(), seq)) : List.of()));
    }
    store.kt().append(group);

    assertThat(store.kt().size()).isEqualTo(base + 4);
    assertThat(replay(base, base + 4))
        .containsExactlyElementsOf(group.stream().map(KtStoreContract::stored).toList());
    KtVersion last = group.get(3).versions().get(129);
    assertThat(store.kt().version(last.label(), 0)).contains(last);
    assertThat(pendingSeq(account.id())).isEmpty();
  }

  @Test
  void aGroupOfEpochsIsStoredWholeOrNotAtAll() {
    Account account = register(1);
    long seq = pendingSeq(account.id()).orElseThrow();
    long base = store.kt().size();
    byte[] label = StoreFixture.bytes(20);
    byte[] fresh = StoreFixture.bytes(20);
    store
        .kt()
        .append(epoch(base, 1, List.of(version(label, 0, base, StoreFixture.bytes(3))), List.of()));
    List<KtEpoch> failing =
        List.of(
            epoch(
                base + 1,
                3,
                List.of(version(fresh, 0, base + 1, StoreFixture.bytes(3))),
                List.of(new KtPending(account.id(), seq))),
            epoch(
                base + 2,
                3,
                List.of(version(label, 0, base + 2, StoreFixture.bytes(3))), // stored already
                List.of()));

    assertThatThrownBy(() -> store.kt().append(failing))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already stored");
    // positions that do not follow one another, and a group that starts past the end
    assertThatThrownBy(
            () ->
                store
                    .kt()
                    .append(
                        List.of(
                            epoch(base + 1, 1, List.of(), List.of()),
                            epoch(base + 3, 1, List.of(), List.of()))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                store
                    .kt()
                    .append(
                        List.of(
                            epoch(base + 2, 1, List.of(), List.of()),
                            epoch(base + 3, 1, List.of(), List.of()))))
        .isInstanceOf(KtPositionException.class);

    assertThat(store.kt().size()).isEqualTo(base + 1);
    assertThat(replay(base + 1, Long.MAX_VALUE)).isEmpty();
    assertThat(store.kt().version(fresh, 0)).isEmpty();
    assertThat(pendingSeq(account.id())).contains(seq);
  }

  @Test
  void concurrentAppendsOfOnePositionStoreOne() throws Exception {
    long base = store.kt().size();
    int writers = 4;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < writers; i++) {
        KtEpoch epoch = epoch(base, 50, List.of(), List.of());
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  try {
                    store.kt().append(epoch);
                    return true;
                  } catch (KtPositionException e) {
                    return false;
                  }
                }));
      }
      start.countDown();
      int stored = 0;
      for (Future<Boolean> result : results) {
        stored += result.get() ? 1 : 0;
      }
      assertThat(stored).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
    assertThat(store.kt().size()).isEqualTo(base + 1);
    assertThat(replay(base, base + 1))
        .singleElement()
        .extracting(KtEpoch::leaves)
        .asList()
        .hasSize(50);
  }

  @Test
  void publishingRemovesAPendingAccountOnlyIfItDidNotChangeSince() {
    Account account = register(1);
    long read = pendingSeq(account.id()).orElseThrow();
    link(account, 2); // a change after the publisher read the pending rows
    long changed = pendingSeq(account.id()).orElseThrow();
    assertThat(changed).isGreaterThan(read);

    long base = store.kt().size();
    store.kt().append(epoch(base, 1, List.of(), List.of(new KtPending(account.id(), read))));

    assertThat(pendingSeq(account.id())).contains(changed);

    store.kt().append(epoch(base + 1, 1, List.of(), List.of(new KtPending(account.id(), changed))));

    assertThat(pendingSeq(account.id())).isEmpty();

    store.kt().markPending(account.id());
    assertThat(pendingSeq(account.id())).isPresent();
  }

  @Test
  void everyDeviceListChangeQueuesTheAccountInItsOwnTransaction() throws Exception {
    Account account = register(1);
    long registered = pendingSeq(account.id()).orElseThrow();

    DeviceId laptop = link(account, 2);
    long linked = pendingSeq(account.id()).orElseThrow();
    assertThat(linked).isGreaterThan(registered);

    assertThat(store.devices().remove(account.id(), laptop)).isEqualTo(Removal.REMOVED);
    long removed = pendingSeq(account.id()).orElseThrow();
    assertThat(removed).isGreaterThan(linked);

    // what changes no device list queues nothing
    assertThat(store.devices().remove(account.id(), laptop)).isEqualTo(Removal.NO_SUCH_DEVICE);
    assertThat(store.devices().remove(account.id(), DeviceId.of(1))).isEqualTo(Removal.LAST_DEVICE);
    PendingLink rejected =
        StoreFixture.pendingLink(StoreFixture.newDevice("tablet", 3), Long.MAX_VALUE);
    store.links().create(rejected);
    store.links().reject(rejected.code());
    assertThat(store.links().approve(rejected.code(), account.id(), by(account, 1), 2_000L))
        .isFalse();
    PendingLink byRemoved =
        StoreFixture.pendingLink(StoreFixture.newDevice("watch", 5), Long.MAX_VALUE);
    store.links().create(byRemoved);
    assertThatThrownBy(
            () ->
                store
                    .links()
                    .approve(byRemoved.code(), account.id(), by(account, laptop.value()), 2_000L))
        .isInstanceOf(ApproverRemovedException.class);
    assertThat(pendingSeq(account.id())).contains(removed);

    Account sameHandle = new Account(AccountId.random(), account.handle(), 1_000L);
    assertThatThrownBy(
            () ->
                store
                    .accounts()
                    .create(sameHandle, StoreFixture.newDevice("phone", 4), StoreFixture.bytes(64)))
        .isInstanceOf(HandleTakenException.class);
    assertThat(pendingSeq(sameHandle.id())).isEmpty();
  }

  private List<KtEarlyProof> earlyProofsOf(AccountId account) {
    return store.kt().earlyProofs(Integer.MAX_VALUE).stream()
        .filter(p -> p.account().equals(account))
        .toList();
  }

  @Test
  void earlyProofsAreReadForPendingAccountsReplacedByLabelVersionAndDeletedWhenPublished() {
    Account account = register(1);
    AccountId idle = AccountId.random(); // not pending: its proofs are not read
    byte[] label = StoreFixture.bytes(20);
    byte[] handle = StoreFixture.bytes(20);
    KtEarlyProof v0 = new KtEarlyProof(account.id(), label, 0, StoreFixture.bytes(144));
    KtEarlyProof h0 = new KtEarlyProof(account.id(), handle, 0, StoreFixture.bytes(144));
    KtEarlyProof v1 = new KtEarlyProof(account.id(), label, 1, StoreFixture.bytes(144));
    store.kt().saveEarlyProofs(List.of(v0, h0, v1));
    store
        .kt()
        .saveEarlyProofs(List.of(new KtEarlyProof(idle, StoreFixture.bytes(20), 0, h0.sealed())));
    KtEarlyProof v1Again = new KtEarlyProof(account.id(), label, 1, StoreFixture.bytes(144));
    store.kt().saveEarlyProofs(List.of(v1Again));
    store.kt().saveEarlyProofs(List.of());

    assertThat(earlyProofsOf(account.id())).containsExactlyInAnyOrder(v0, h0, v1Again);
    assertThat(earlyProofsOf(idle)).isEmpty();

    long base = store.kt().size();
    long seq = pendingSeq(account.id()).orElseThrow();
    store
        .kt()
        .append(
            epoch(
                base,
                1,
                List.of(version(label, 0, base, StoreFixture.bytes(8))),
                List.of(new KtPending(account.id(), seq))));
    store.kt().markPending(account.id()); // pending again, so that its proofs are read
    assertThat(earlyProofsOf(account.id())).containsExactlyInAnyOrder(h0, v1Again);
  }

  @Test
  void pendingAccountsComeWithTheirAccountAndDevicesInPendingOrder() {
    Account account = register(1);
    DeviceId laptop = link(account, 2);
    AccountId gone = AccountId.random(); // pending, but no such account
    store.kt().markPending(gone);

    List<KtPendingAccount> read = store.kt().pendingAccounts(Integer.MAX_VALUE);

    assertThat(read)
        .extracting(KtPendingAccount::pending)
        .isEqualTo(store.kt().pending(Integer.MAX_VALUE));
    KtPendingAccount mine =
        read.stream()
            .filter(p -> p.pending().account().equals(account.id()))
            .findFirst()
            .orElseThrow();
    assertThat(mine.account()).isEqualTo(store.accounts().byId(account.id()));
    assertThat(mine.devices()).extracting(d -> d.id().value()).containsExactly(1, laptop.value());
    assertThat(mine.devices())
        .extracting(d -> d.ktEntry().orElseThrow())
        .containsExactlyElementsOf(
            store.devices().devices(account.id()).stream()
                .map(d -> d.ktEntry().orElseThrow())
                .toList());
    KtPendingAccount missing =
        read.stream().filter(p -> p.pending().account().equals(gone)).findFirst().orElseThrow();
    assertThat(missing.account()).isEmpty();
    assertThat(missing.devices()).isEmpty();
    assertThat(store.kt().pendingAccounts(1))
        .hasSize(1)
        .extracting(KtPendingAccount::pending)
        .isEqualTo(store.kt().pending(1));
  }

  @Test
  void pendingAccountsAreScannedInSeqOrderUpToTheLimit() {
    Account first = register(1);
    Account second = register(2);
    long firstSeq = pendingSeq(first.id()).orElseThrow();

    List<KtPending> all = store.kt().pending(Integer.MAX_VALUE);

    assertThat(all).extracting(KtPending::seq).isSorted();
    assertThat(pendingSeq(second.id()).orElseThrow()).isGreaterThan(firstSeq);
    assertThat(store.kt().pending(2)).hasSize(2).isEqualTo(all.subList(0, 2));
    assertThat(store.kt().pending(0)).isEmpty();
  }

  @Test
  void markPendingQueuesAnyAccountAndBumpsItsSeq() {
    AccountId account = AccountId.random();

    store.kt().markPending(account);
    long first = pendingSeq(account).orElseThrow();
    store.kt().markPending(account);

    assertThat(pendingSeq(account).orElseThrow()).isGreaterThan(first);
  }

  @Test
  void concurrentChangesOfOneAccountEachBumpItsSeq() throws Exception {
    AccountId account = AccountId.random();
    store.kt().markPending(account);
    long before = pendingSeq(account).orElseThrow();
    int changes = 8;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> results = new ArrayList<>();
      for (int i = 0; i < changes; i++) {
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  store.kt().markPending(account);
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> result : results) {
        result.get();
      }
    } finally {
      pool.shutdownNow();
    }
    // no change lost its bump: a publisher holding any earlier seq cannot delete the row
    assertThat(pendingSeq(account)).contains(before + changes);
  }

  @Test
  void anAuditorsHeadOnlyMovesForward() {
    byte[] auditor = StoreFixture.bytes(32);
    byte[] other = StoreFixture.bytes(32);
    byte[] signature = StoreFixture.bytes(64);

    assertThat(store.kt().saveAuditorHead(auditor, 10, 5_000, signature)).isTrue();
    assertThat(store.kt().saveAuditorHead(other, 3, 4_000, StoreFixture.bytes(64))).isTrue();
    assertThat(store.kt().saveAuditorHead(auditor, 9, 6_000, StoreFixture.bytes(64))).isFalse();
    assertThat(store.kt().saveAuditorHead(auditor, 10, 4_999, StoreFixture.bytes(64))).isFalse();
    assertThat(headOf(auditor)).contains(new KtAuditorHead(auditor, 10, 5_000, signature));

    byte[] later = StoreFixture.bytes(64);
    assertThat(store.kt().saveAuditorHead(auditor, 10, 5_001, later)).isTrue();
    assertThat(headOf(auditor)).contains(new KtAuditorHead(auditor, 10, 5_001, later));
    assertThat(store.kt().saveAuditorHead(auditor, 11, 1, signature)).isTrue();
    assertThat(headOf(auditor)).contains(new KtAuditorHead(auditor, 11, 1, signature));
    assertThat(headOf(other)).map(KtAuditorHead::treeSize).contains(3L);

    List<KtAuditorHead> heads = store.kt().auditorHeads();
    for (int i = 1; i < heads.size(); i++) {
      assertThat(
              Arrays.compareUnsigned(
                  heads.get(i - 1).auditorPublicKey(), heads.get(i).auditorPublicKey()))
          .isNegative();
    }
  }

  private Optional<KtAuditorHead> headOf(byte[] auditor) {
    return store.kt().auditorHeads().stream()
        .filter(h -> Arrays.equals(h.auditorPublicKey(), auditor))
        .findFirst();
  }
}
