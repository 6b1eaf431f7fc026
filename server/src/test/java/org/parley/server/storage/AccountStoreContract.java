package org.parley.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.Handle;
import org.parley.protocol.keys.DeviceKeys;
import org.parley.protocol.kt.DeviceListValue;
import org.parley.server.account.Account;
import org.parley.server.account.AccountIdTakenException;
import org.parley.server.account.HandleTakenException;
import org.parley.server.device.Device;
import org.parley.server.device.NewDevice;

/** The contract of {@link org.parley.server.account.AccountStore}. */
public abstract class AccountStoreContract extends StoreContractBase {
  private static final byte[] APPROVAL = StoreFixture.bytes(64);

  @Test
  void registrationStoresTheAccountDevice1AndItsKeys() throws Exception {
    NewDevice phone =
        StoreFixture.newDevice(
            "phone", "a-password-of-at-least-22", StoreFixture.deviceKeys(42), 1_234L);
    Account account = StoreFixture.account(1_000L);
    byte[] selfApproval = StoreFixture.bytes(64);

    store.accounts().create(account, phone, selfApproval);

    assertThat(store.accounts().byId(account.id())).contains(account);
    assertThat(store.accounts().byHandle(account.handle())).contains(account);
    List<Device> devices = store.devices().devices(account.id());
    assertThat(devices).hasSize(1);
    Device device = devices.get(0);
    assertThat(device.accountId()).isEqualTo(account.id());
    assertThat(device.id()).isEqualTo(DeviceId.of(1));
    assertThat(device.name()).isEqualTo("phone");
    assertThat(device.registrationId()).isEqualTo(42);
    assertThat(device.identityKey()).isEqualTo(phone.keys().identityKey());
    assertThat(device.createdAt()).isEqualTo(1_234L);
    assertThat(device.credential().matches("a-password-of-at-least-22")).isTrue();
    assertThat(device.credential().matches("another-password-entirely")).isFalse();
    assertThat(device.approval().approver()).isEqualTo(org.parley.protocol.kt.LinkSerial.of(1));
    assertThat(device.approval().signature()).isEqualTo(selfApproval);
    assertThat(device.ktEntry().orElseThrow())
        .isEqualTo(
            new DeviceListValue.Entry(
                DeviceId.of(1), phone.keys().identityKey(), DeviceId.of(1), selfApproval));
    assertThat(store.preKeys().counts(account.id(), DeviceId.of(1)).preKeys()).isEqualTo(3);
    assertThat(store.preKeys().counts(account.id(), DeviceId.of(1)).kyberPreKeys()).isEqualTo(3);
    var bundle = store.preKeys().takeBundle(account.id(), DeviceId.of(1)).orElseThrow();
    DeviceKeys keys = phone.keys();
    assertThat(bundle.signedPreKey()).usingRecursiveComparison().isEqualTo(keys.signedPreKey());
    assertThat(bundle.preKey()).usingRecursiveComparison().isEqualTo(keys.preKeys().get(0));
  }

  @Test
  void aTakenHandleIsRefusedAndNothingOfTheSecondAccountIsStored() {
    Account first = register(1);
    Account second = new Account(AccountId.random(), first.handle(), 5_000L);

    assertThatThrownBy(
            () -> store.accounts().create(second, StoreFixture.newDevice("other", 2), APPROVAL))
        .isInstanceOf(HandleTakenException.class);

    assertThat(store.accounts().byId(second.id())).isEmpty();
    assertThat(store.devices().devices(second.id())).isEmpty();
    assertThat(store.accounts().byHandle(first.handle())).contains(first);
  }

  @Test
  void aTakenAccountIdIsRefusedAndNothingOfTheSecondAccountIsStored() {
    Account first = register(1);
    Account second = new Account(first.id(), StoreFixture.uniqueHandle(), 5_000L);

    assertThatThrownBy(
            () -> store.accounts().create(second, StoreFixture.newDevice("other", 2), APPROVAL))
        .isInstanceOf(AccountIdTakenException.class);

    assertThat(store.accounts().byHandle(second.handle())).isEmpty();
    assertThat(store.accounts().byId(first.id())).contains(first);
    assertThat(store.devices().devices(first.id()))
        .singleElement()
        .satisfies(d -> assertThat(d.name()).isEqualTo("phone"));
  }

  @Test
  void handlesAreCaseInsensitive() {
    Account first = register(1);
    Handle shouted = Handle.of(first.handle().value().toUpperCase(java.util.Locale.ROOT));
    Account second = new Account(AccountId.random(), shouted, 5_000L);

    assertThatThrownBy(
            () -> store.accounts().create(second, StoreFixture.newDevice("other", 2), APPROVAL))
        .isInstanceOf(HandleTakenException.class);
    assertThat(store.accounts().byHandle(shouted)).contains(first);
  }

  @Test
  void registrationIsAllOrNothing() {
    Account account = StoreFixture.account(1_000L);
    // a device without a credential fails after the account row is written: it must not remain
    NewDevice broken = new NewDevice("phone", null, StoreFixture.deviceKeys(7), 1_000L);

    assertThatThrownBy(() -> store.accounts().create(account, broken, APPROVAL))
        .isInstanceOf(RuntimeException.class);

    assertThat(store.accounts().byId(account.id())).isEmpty();
    assertThat(store.accounts().byHandle(account.handle())).isEmpty();
    assertThat(store.devices().devices(account.id())).isEmpty();
  }

  @Test
  void concurrentRegistrationsOfOneHandleLetExactlyOneWin() throws Exception {
    Handle handle = StoreFixture.uniqueHandle();
    int contenders = 4;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(contenders);
    try {
      List<Future<Boolean>> outcomes = new ArrayList<>();
      for (int i = 0; i < contenders; i++) {
        int n = i;
        Callable<Boolean> attempt =
            () -> {
              start.await();
              try {
                store
                    .accounts()
                    .create(
                        new Account(AccountId.random(), handle, 1_000L),
                        StoreFixture.newDevice("d" + n, n + 1),
                        APPROVAL);
                return true;
              } catch (HandleTakenException e) {
                return false;
              }
            };
        outcomes.add(pool.submit(attempt));
      }
      start.countDown();
      int wins = 0;
      for (Future<Boolean> outcome : outcomes) {
        wins += outcome.get() ? 1 : 0;
      }
      assertThat(wins).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
    Account winner = store.accounts().byHandle(handle).orElseThrow();
    assertThat(store.devices().devices(winner.id())).hasSize(1);
  }

  @Test
  void unknownAccountsAreEmpty() {
    assertThat(store.accounts().byId(AccountId.random())).isEmpty();
    assertThat(store.accounts().byHandle(StoreFixture.uniqueHandle())).isEmpty();
  }
}
