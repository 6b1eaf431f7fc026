package org.parley.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.server.account.Account;
import org.parley.server.device.Device;
import org.parley.server.device.DeviceStore;
import org.parley.server.message.EnqueueResult;

/** The contract of {@link org.parley.server.device.DeviceStore}. */
public abstract class DeviceStoreContract extends StoreContractBase {
  @Test
  void devicesAreListedInIdOrder() {
    Account account = register(11);
    DeviceId second = link(account, 22);
    DeviceId third = link(account, 33);

    List<Device> devices = store.devices().devices(account.id());

    assertThat(devices).extracting(Device::id).containsExactly(DeviceId.of(1), second, third);
    assertThat(devices).extracting(Device::registrationId).containsExactly(11, 22, 33);
    assertThat(second).isEqualTo(DeviceId.of(2));
    assertThat(third).isEqualTo(DeviceId.of(3));
    assertThat(store.devices().device(account.id(), third))
        .get()
        .extracting(Device::name)
        .isEqualTo("laptop");
  }

  @Test
  void unknownAccountsAndDevicesAreEmpty() {
    Account account = register(1);
    assertThat(store.devices().devices(AccountId.random())).isEmpty();
    assertThat(store.devices().device(account.id(), DeviceId.of(2))).isEmpty();
    assertThat(store.devices().remove(account.id(), DeviceId.of(2)))
        .isEqualTo(DeviceStore.Removal.NO_SUCH_DEVICE);
  }

  @Test
  void removalDeletesTheDeviceItsKeysAndItsQueueAndNothingElse() {
    Account sender = register(1);
    Account account = register(10);
    DeviceId laptop = link(account, 20);
    sendToAll(sender, account, "one");
    sendToAll(sender, account, "two");
    assertThat(store.messages().count(account.id(), laptop)).isEqualTo(2);

    assertThat(store.devices().remove(account.id(), laptop)).isEqualTo(DeviceStore.Removal.REMOVED);

    assertThat(store.devices().device(account.id(), laptop)).isEmpty();
    assertThat(store.devices().devices(account.id()))
        .extracting(Device::id)
        .containsExactly(DeviceId.of(1));
    assertThat(store.messages().count(account.id(), laptop)).isZero();
    assertThat(store.messages().pending(account.id(), laptop, 0, 10)).isEmpty();
    assertThat(store.preKeys().counts(account.id(), laptop).preKeys()).isZero();
    assertThat(store.preKeys().counts(account.id(), laptop).kyberPreKeys()).isZero();
    assertThat(store.preKeys().takeBundle(account.id(), laptop)).isEmpty();
    assertThat(
            store
                .preKeys()
                .update(account.id(), laptop, null, null, StoreFixture.preKeys(50, 1), null))
        .isFalse();
    // the other device keeps everything
    assertThat(store.messages().count(account.id(), DeviceId.of(1))).isEqualTo(2);
    assertThat(store.preKeys().counts(account.id(), DeviceId.of(1)).preKeys()).isEqualTo(3);
    assertThat(store.devices().remove(account.id(), laptop))
        .isEqualTo(DeviceStore.Removal.NO_SUCH_DEVICE);
  }

  @Test
  void aRemovedDeviceIsNoLongerAddressable() {
    Account sender = register(1);
    Account account = register(10);
    DeviceId laptop = link(account, 20);
    store.devices().remove(account.id(), laptop);

    var result =
        store
            .messages()
            .enqueue(
                account.id(),
                null,
                List.of(
                    to(DeviceId.of(1), 10, StoreFixture.envelope(sender, DeviceId.of(1), "a")),
                    to(laptop, 20, StoreFixture.envelope(sender, DeviceId.of(1), "b"))));

    assertThat(result)
        .isEqualTo(new EnqueueResult.StaleDevices(List.of(), List.of(laptop.value()), List.of()));
    assertThat(store.messages().count(account.id(), DeviceId.of(1))).isZero();
  }

  @Test
  void idsOfRemovedDevicesAreHandedOutAgainButTheirLinkSerialsNever() {
    Account account = register(1);
    DeviceId second = link(account, 2);
    DeviceId third = link(account, 3);
    store.devices().remove(account.id(), third);
    store.devices().remove(account.id(), second);

    DeviceId next = link(account, 4);

    assertThat(next).isEqualTo(DeviceId.of(2)); // the lowest free id
    assertThat(store.devices().device(account.id(), next).orElseThrow().serial())
        .isEqualTo(org.parley.protocol.kt.LinkSerial.of(4)); // serials 2 and 3 are not reused
  }

  @Test
  void removalRacingSendsLeavesNothingQueuedForTheRemovedDevice() throws Exception {
    Account sender = register(1);
    Account account = register(10);
    DeviceId laptop = link(account, 20);
    int sends = 40;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<Integer> stored =
          pool.submit(
              () -> {
                start.await();
                int count = 0;
                for (int i = 0; i < sends; i++) {
                  EnqueueResult result =
                      store
                          .messages()
                          .enqueue(
                              account.id(),
                              null,
                              List.of(
                                  to(
                                      DeviceId.of(1),
                                      10,
                                      StoreFixture.envelope(sender, DeviceId.of(1), "p" + i)),
                                  to(
                                      laptop,
                                      20,
                                      StoreFixture.envelope(sender, DeviceId.of(1), "l" + i))));
                  if (result instanceof EnqueueResult.Stored) {
                    count++;
                  } else {
                    assertThat(result)
                        .isEqualTo(
                            new EnqueueResult.StaleDevices(
                                List.of(), List.of(laptop.value()), List.of()));
                  }
                }
                return count;
              });
      Future<DeviceStore.Removal> removed =
          pool.submit(
              () -> {
                start.await();
                Thread.sleep(5);
                return store.devices().remove(account.id(), laptop);
              });
      start.countDown();
      assertThat(removed.get()).isEqualTo(DeviceStore.Removal.REMOVED);
      int delivered = stored.get();
      assertThat(store.messages().count(account.id(), laptop)).isZero();
      assertThat(store.messages().count(account.id(), DeviceId.of(1))).isEqualTo(delivered);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void theLastDeviceIsNeverRemoved() {
    Account account = register(1);
    assertThat(store.devices().remove(account.id(), DeviceId.of(1)))
        .isEqualTo(DeviceStore.Removal.LAST_DEVICE);
    assertThat(store.devices().devices(account.id()))
        .extracting(Device::id)
        .containsExactly(DeviceId.of(1));
  }

  @Test
  void twoDevicesRemovingEachOtherAtOnceLeaveOne() throws Exception {
    for (int round = 0; round < 5; round++) {
      Account account = register(100 + round);
      DeviceId laptop = link(account, 200 + round);
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        CountDownLatch start = new CountDownLatch(1);
        Future<DeviceStore.Removal> first =
            pool.submit(
                () -> {
                  start.await();
                  return store.devices().remove(account.id(), DeviceId.of(1));
                });
        Future<DeviceStore.Removal> second =
            pool.submit(
                () -> {
                  start.await();
                  return store.devices().remove(account.id(), laptop);
                });
        start.countDown();
        assertThat(List.of(first.get(), second.get()))
            .containsExactlyInAnyOrder(
                DeviceStore.Removal.REMOVED, DeviceStore.Removal.LAST_DEVICE);
        assertThat(store.devices().devices(account.id())).hasSize(1);
      } finally {
        pool.shutdownNow();
      }
    }
  }
}
