package org.parley.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.parley.protocol.DeviceId;
import org.parley.protocol.message.Envelope;
import org.parley.server.account.Account;
import org.parley.server.account.AccountIdTakenException;
import org.parley.server.account.HandleTakenException;
import org.parley.server.device.Device;
import org.parley.server.device.NewDevice;
import org.parley.server.link.ApproverRemovedException;
import org.parley.server.link.LinkApproval;
import org.parley.server.link.TooManyDevicesException;
import org.parley.server.message.AddressedEnvelope;
import org.parley.server.message.EnqueueResult;

/**
 * What every storage contract shares: a store opened on the backend's database before each test and
 * closed after, and helpers to set up accounts. Backends subclass each contract and say how to open
 * their store; the database persists across tests of one run (each test makes fresh accounts), so
 * {@link #open()} must reopen the same database.
 */
public abstract class StoreContractBase {
  protected Store store;

  /** Opens (migrating if needed) the backend's test database; the same one on every call. */
  protected abstract Store open();

  @BeforeEach
  void openBeforeEach() {
    store = open();
  }

  @AfterEach
  void closeAfterEach() {
    if (store != null) {
      store.close();
    }
  }

  protected Account register(int registrationId) {
    return register(StoreFixture.newDevice("phone", registrationId));
  }

  protected Account register(NewDevice first) {
    Account account = StoreFixture.account(1_000L);
    try {
      store.accounts().create(account, first, StoreFixture.bytes(64));
    } catch (HandleTakenException | AccountIdTakenException e) {
      throw new AssertionError(e);
    }
    return account;
  }

  /** Links a new device to the account through the link store; returns its id. */
  protected DeviceId link(Account account, NewDevice device) {
    var link = StoreFixture.pendingLink(device, Long.MAX_VALUE);
    store.links().create(link);
    try {
      assertThat(store.links().approve(link.code(), account.id(), by(account, 1), 2_000L)).isTrue();
      Optional<DeviceId> id = store.links().accept(link.code(), 2_000L);
      assertThat(id).isPresent();
      return id.get();
    } catch (TooManyDevicesException | ApproverRemovedException e) {
      throw new AssertionError(e);
    }
  }

  /** An approval by the account's device {@code approver}, with the key the store holds for it. */
  protected LinkApproval by(Account account, int approver) {
    byte[] key =
        store
            .devices()
            .device(account.id(), DeviceId.of(approver))
            .map(Device::identityKey)
            .orElse(StoreFixture.bytes(33));
    return StoreFixture.linkApproval(approver, key);
  }

  protected DeviceId link(Account account, int registrationId) {
    return link(account, StoreFixture.newDevice("laptop", registrationId));
  }

  /** Sends one envelope to each current device of {@code to}, as the contract requires. */
  protected EnqueueResult.Stored sendToAll(Account from, Account to, String text) {
    List<AddressedEnvelope> envelopes = new ArrayList<>();
    for (Device d : store.devices().devices(to.id())) {
      envelopes.add(
          to(d.id(), d.registrationId(), StoreFixture.envelope(from, DeviceId.of(1), text)));
    }
    EnqueueResult result = store.messages().enqueue(to.id(), null, envelopes);
    assertThat(result).isInstanceOf(EnqueueResult.Stored.class);
    return (EnqueueResult.Stored) result;
  }

  /** One envelope of a send, for the device with that registration id. */
  protected static AddressedEnvelope to(DeviceId device, int registrationId, Envelope envelope) {
    return new AddressedEnvelope(device, registrationId, envelope);
  }
}
