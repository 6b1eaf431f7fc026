package org.parley.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.parley.protocol.DeviceId;
import org.parley.protocol.keys.KeyCounts;
import org.parley.protocol.kt.DeviceListValue;
import org.parley.protocol.kt.LinkSerial;
import org.parley.protocol.link.LinkCode;
import org.parley.protocol.link.LinkStatus.State;
import org.parley.server.account.Account;
import org.parley.server.device.Device;
import org.parley.server.device.NewDevice;
import org.parley.server.link.ApproverRemovedException;
import org.parley.server.link.LinkApproval;
import org.parley.server.link.PendingLink;
import org.parley.server.link.TooManyDevicesException;

/** The contract of {@link org.parley.server.link.LinkStore}. */
public abstract class LinkStoreContract extends StoreContractBase {
  private static final long NOW = 1_800_000_000_000L;
  private static final long LATER = NOW + 600_000;

  private PendingLink pending(String name, int registrationId) {
    PendingLink link =
        StoreFixture.pendingLink(StoreFixture.newDevice(name, registrationId), LATER);
    store.links().create(link);
    return link;
  }

  @Test
  void aCreatedLinkReadsBackWhole() {
    PendingLink link = pending("tablet", 9);

    PendingLink read = store.links().get(link.code()).orElseThrow();

    assertThat(read).usingRecursiveComparison().isEqualTo(link);
    assertThat(read.device().credential().matches("password-of-tablet-0123456789")).isTrue();
    assertThat(store.links().get(LinkCode.random())).isEmpty();
  }

  @Test
  void approvalAddsNothingUntilTheNewDeviceAcceptsThenTheDeviceIsAddedUnderTheNextId()
      throws Exception {
    Account account = register(1);
    PendingLink link = pending("tablet", 9);
    LinkApproval by1 = by(account, 1);

    assertThat(store.links().approve(link.code(), account.id(), by1, NOW)).isTrue();

    PendingLink approved = store.links().get(link.code()).orElseThrow();
    assertThat(approved.state()).isEqualTo(State.APPROVED);
    assertThat(approved.accountId()).isEqualTo(account.id());
    assertThat(approved.deviceId()).isNull();
    assertThat(approved.approval()).usingRecursiveComparison().isEqualTo(by1);
    assertThat(store.devices().devices(account.id())).hasSize(1);

    Optional<DeviceId> added = store.links().accept(link.code(), NOW);

    assertThat(added).contains(DeviceId.of(2));
    PendingLink linked = store.links().get(link.code()).orElseThrow();
    assertThat(linked.state()).isEqualTo(State.LINKED);
    assertThat(linked.deviceId()).isEqualTo(DeviceId.of(2));
    Device device = store.devices().device(account.id(), DeviceId.of(2)).orElseThrow();
    assertThat(device.name()).isEqualTo("tablet");
    assertThat(device.registrationId()).isEqualTo(9);
    assertThat(device.identityKey()).isEqualTo(link.device().keys().identityKey());
    assertThat(device.createdAt()).isEqualTo(NOW);
    assertThat(device.credential().matches("password-of-tablet-0123456789")).isTrue();
    assertThat(device.approval().approver()).isEqualTo(LinkSerial.of(1));
    assertThat(device.approval().signature()).isEqualTo(by1.ktApproval());
    assertThat(device.ktEntry().orElseThrow())
        .isEqualTo(
            new DeviceListValue.Entry(
                DeviceId.of(2),
                link.device().keys().identityKey(),
                DeviceId.of(1),
                by1.ktApproval()));
    assertThat(store.preKeys().counts(account.id(), DeviceId.of(2))).isEqualTo(new KeyCounts(3, 3));
    assertThat(
            store.preKeys().takeBundle(account.id(), DeviceId.of(2)).orElseThrow().signedPreKey())
        .usingRecursiveComparison()
        .isEqualTo(link.device().keys().signedPreKey());
    // a retried accept gets the same answer and adds nothing
    assertThat(store.links().accept(link.code(), NOW)).contains(DeviceId.of(2));
    assertThat(store.devices().devices(account.id())).hasSize(2);
  }

  @Test
  void onlyAPendingUnexpiredLinkCanBeApprovedAndOnlyAnApprovedOneAccepted() throws Exception {
    Account account = register(1);
    PendingLink link = pending("tablet", 9);
    PendingLink expired = pending("old", 8);
    PendingLink rejected = pending("unwanted", 7);

    assertThat(store.links().approve(expired.code(), account.id(), by(account, 1), LATER))
        .isFalse();
    assertThat(store.links().get(expired.code()).orElseThrow().state()).isEqualTo(State.PENDING);
    assertThat(store.links().reject(rejected.code())).isTrue();
    assertThat(store.links().approve(rejected.code(), account.id(), by(account, 1), NOW)).isFalse();
    assertThat(store.links().approve(LinkCode.random(), account.id(), by(account, 1), NOW))
        .isFalse();
    assertThat(store.links().accept(link.code(), NOW)).isEmpty(); // not approved yet
    assertThat(store.links().accept(rejected.code(), NOW)).isEmpty();
    assertThat(store.links().accept(LinkCode.random(), NOW)).isEmpty();
    assertThat(store.devices().devices(account.id())).hasSize(1);

    assertThat(store.links().approve(link.code(), account.id(), by(account, 1), NOW)).isTrue();
    assertThat(store.links().approve(link.code(), account.id(), by(account, 1), NOW)).isFalse();
    assertThat(store.links().accept(link.code(), LATER)).isEmpty(); // expired meanwhile
    assertThat(store.devices().devices(account.id())).hasSize(1);
    assertThat(store.links().accept(link.code(), NOW)).contains(DeviceId.of(2));
    assertThat(store.devices().devices(account.id())).hasSize(2);
  }

  @Test
  void aDeclinedLinkNeverBecomesADevice() throws Exception {
    Account account = register(1);
    PendingLink link = pending("tablet", 9);
    store.links().approve(link.code(), account.id(), by(account, 1), NOW);

    assertThat(store.links().decline(link.code())).isTrue();

    assertThat(store.links().get(link.code()).orElseThrow().state()).isEqualTo(State.DECLINED);
    assertThat(store.links().accept(link.code(), NOW)).isEmpty();
    assertThat(store.links().decline(link.code())).isFalse();
    assertThat(store.links().reject(link.code())).isFalse();
    assertThat(store.devices().devices(account.id())).hasSize(1);
  }

  @Test
  void anApprovalByARemovedDeviceAddsNothing() throws Exception {
    Account account = register(1);
    DeviceId second = link(account, 2);
    PendingLink link = pending("tablet", 9);
    LinkApproval bySecond = by(account, second.value());
    store.devices().remove(account.id(), second);

    assertThatThrownBy(() -> store.links().approve(link.code(), account.id(), bySecond, NOW))
        .isInstanceOf(ApproverRemovedException.class);

    assertThat(store.links().get(link.code()).orElseThrow().state()).isEqualTo(State.PENDING);
    assertThat(store.devices().devices(account.id()))
        .extracting(Device::id)
        .containsExactly(DeviceId.of(1));
    assertThat(store.links().approve(link.code(), account.id(), by(account, 1), NOW)).isTrue();
    assertThat(store.links().accept(link.code(), NOW)).isPresent();
  }

  @Test
  void anApproverRemovedBeforeTheNewDeviceAcceptsAddsNothing() throws Exception {
    Account account = register(1);
    DeviceId second = link(account, 2);
    PendingLink link = pending("tablet", 9);
    store.links().approve(link.code(), account.id(), by(account, second.value()), NOW);
    store.devices().remove(account.id(), second);

    assertThatThrownBy(() -> store.links().accept(link.code(), NOW))
        .isInstanceOf(ApproverRemovedException.class);

    assertThat(store.links().get(link.code()).orElseThrow().state()).isEqualTo(State.APPROVED);
    assertThat(store.devices().devices(account.id()))
        .extracting(Device::id)
        .containsExactly(DeviceId.of(1));
  }

  @Test
  void rejectionOnlyTouchesPendingAndApprovedLinks() throws Exception {
    Account account = register(1);
    PendingLink link = pending("tablet", 9);
    PendingLink approved = pending("phone", 8);
    PendingLink linked = pending("watch", 7);
    store.links().approve(approved.code(), account.id(), by(account, 1), NOW);
    store.links().approve(linked.code(), account.id(), by(account, 1), NOW);
    store.links().accept(linked.code(), NOW);

    assertThat(store.links().reject(link.code())).isTrue();
    assertThat(store.links().get(link.code()).orElseThrow().state()).isEqualTo(State.REJECTED);
    assertThat(store.links().reject(link.code())).isFalse();
    assertThat(store.links().reject(approved.code())).isTrue();
    assertThat(store.links().accept(approved.code(), NOW)).isEmpty();
    assertThat(store.links().reject(linked.code())).isFalse();
    assertThat(store.links().get(linked.code()).orElseThrow().state()).isEqualTo(State.LINKED);
    assertThat(store.links().reject(LinkCode.random())).isFalse();
  }

  @Test
  void expiredLinksAreDeleted() {
    PendingLink soon = StoreFixture.pendingLink(StoreFixture.newDevice("a", 1), NOW + 10);
    PendingLink later = StoreFixture.pendingLink(StoreFixture.newDevice("b", 2), NOW + 20);
    store.links().create(soon);
    store.links().create(later);

    store.links().deleteExpired(NOW + 10); // expires at NOW + 10: not yet before it
    assertThat(store.links().get(soon.code())).isPresent();

    int deleted = store.links().deleteExpired(NOW + 15);

    assertThat(deleted).isGreaterThanOrEqualTo(1);
    assertThat(store.links().get(soon.code())).isEmpty();
    assertThat(store.links().get(later.code())).isPresent();
  }

  @Test
  void anAccountHasAtMost127DevicesAndARemovalFreesAnId() throws Exception {
    NewDevice light = light();
    Account account = register(light);
    for (int id = 2; id <= DeviceId.MAX; id++) {
      assertThat(accept(account, light)).contains(DeviceId.of(id));
    }
    PendingLink oneTooMany = StoreFixture.pendingLink(light, LATER);
    store.links().create(oneTooMany);
    store.links().approve(oneTooMany.code(), account.id(), by(account, 1), NOW);

    assertThatThrownBy(() -> store.links().accept(oneTooMany.code(), NOW))
        .isInstanceOf(TooManyDevicesException.class);

    assertThat(store.links().get(oneTooMany.code()).orElseThrow().state())
        .isEqualTo(State.APPROVED);
    assertThat(store.devices().devices(account.id())).hasSize(DeviceId.MAX);
    store.devices().remove(account.id(), DeviceId.of(5));
    assertThat(store.links().accept(oneTooMany.code(), NOW)).contains(DeviceId.of(5));
    Device reused = store.devices().device(account.id(), DeviceId.of(5)).orElseThrow();
    assertThat(reused.serial()).isEqualTo(LinkSerial.of(DeviceId.MAX + 1));
  }

  @Test
  void anAccountLinksAgainAfterAnyNumberOfLinksAndRemovalsWithANewSerialEachTime()
      throws Exception {
    NewDevice light = light();
    Account account = register(light);
    for (int i = 0; i < 130; i++) {
      DeviceId id = accept(account, light).orElseThrow();
      assertThat(id).isEqualTo(DeviceId.of(2)); // the freed slot, again and again
      assertThat(store.devices().device(account.id(), id).orElseThrow().serial())
          .isEqualTo(LinkSerial.of(2 + i));
      store.devices().remove(account.id(), id);
    }

    assertThat(accept(account, light)).contains(DeviceId.of(2));
    assertThat(accept(account, light)).contains(DeviceId.of(3));
    List<DeviceListValue.Entry> published =
        store.devices().devices(account.id()).stream().map(d -> d.ktEntry().orElseThrow()).toList();
    assertThat(published)
        .extracting(DeviceListValue.Entry::serial)
        .containsExactly(LinkSerial.of(1), LinkSerial.of(132), LinkSerial.of(133));
    assertThat(published)
        .extracting(DeviceListValue.Entry::approver)
        .containsOnly(LinkSerial.of(1));
  }

  @Test
  void theApprovalNamesTheApproversSerialNotItsSlot() throws Exception {
    Account account = register(1);
    DeviceId second = link(account, 2); // serial 2
    store.devices().remove(account.id(), second);
    DeviceId again = link(account, 3); // slot 2 again, serial 3
    assertThat(again).isEqualTo(second);
    PendingLink link = pending("tablet", 9);
    store.links().approve(link.code(), account.id(), by(account, again.value()), NOW);

    DeviceId tablet = store.links().accept(link.code(), NOW).orElseThrow();

    Device added = store.devices().device(account.id(), tablet).orElseThrow();
    assertThat(added.serial()).isEqualTo(LinkSerial.of(4));
    assertThat(added.approval().approver()).isEqualTo(LinkSerial.of(3));
  }

  private NewDevice light() {
    return StoreFixture.newDevice(
        "d", "password-password-password", StoreFixture.deviceKeys(1, List.of(), List.of()), 1L);
  }

  private Optional<DeviceId> accept(Account account, NewDevice device) throws Exception {
    PendingLink link = StoreFixture.pendingLink(device, LATER);
    store.links().create(link);
    store.links().approve(link.code(), account.id(), by(account, 1), NOW);
    return store.links().accept(link.code(), NOW);
  }

  @Test
  void concurrentAcceptsGetDistinctIds() throws Exception {
    Account account = register(1);
    int links = 6;
    List<PendingLink> pending = new ArrayList<>();
    for (int i = 0; i < links; i++) {
      pending.add(pending("d" + i, 10 + i));
      store.links().approve(pending.get(i).code(), account.id(), by(account, 1), NOW);
    }
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Future<Optional<DeviceId>>> results = new ArrayList<>();
      for (PendingLink link : pending) {
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  return store.links().accept(link.code(), NOW);
                }));
      }
      // the same link twice: one device, both told its id
      PendingLink twice = pending.get(0);
      results.add(pool.submit(() -> store.links().accept(twice.code(), NOW)));
      start.countDown();
      List<DeviceId> ids = new ArrayList<>();
      for (Future<Optional<DeviceId>> result : results) {
        result.get().ifPresent(ids::add);
      }
      assertThat(ids).hasSize(links + 1);
      assertThat(new HashSet<>(ids)).hasSize(links);
      assertThat(ids).allMatch(id -> id.value() >= 2 && id.value() <= links + 1);
    } finally {
      pool.shutdownNow();
    }
    assertThat(store.devices().devices(account.id())).hasSize(links + 1);
  }
}
