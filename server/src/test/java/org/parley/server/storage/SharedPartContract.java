package org.parley.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.parley.protocol.DeviceId;
import org.parley.protocol.message.Envelope;
import org.parley.protocol.message.EnvelopeType;
import org.parley.server.account.Account;
import org.parley.server.device.Device;
import org.parley.server.device.DeviceStore;
import org.parley.server.message.AddressedEnvelope;
import org.parley.server.message.EnqueueResult;
import org.parley.server.message.SharedPart;
import org.parley.server.message.StoredEnvelope;

/**
 * The shared part of a group upload (docs/spec/api.md, "Group messages"): stored once for every
 * envelope that ends with it, read back whole by each device, and deleted, in the transaction that
 * does it, with the last envelope that references it, whichever path deletes that (an
 * acknowledgement, a device's removal). Backends say what their database holds of a part.
 */
public abstract class SharedPartContract extends StoreContractBase {
  private static final DeviceId ONE = DeviceId.of(1);
  private static final DeviceId TWO = DeviceId.of(2);

  /**
   * The reference count the backend's database holds for the shared part {@code id}, read with a
   * query of the test's own; empty if no row holds the part.
   */
  protected abstract Optional<Integer> storedRefs(String id);

  @Test
  void aPartIsStoredOnceAndEveryDeviceReadsItsWholeContent() {
    Account two = register(10);
    link(two, 11);
    Account one = register(20);
    SharedPart part = SharedPart.of(StoreFixture.bytes(4_000));

    List<EnqueueResult> results = fanOut(part, two, one);

    assertThat(results).allMatch(EnqueueResult.Stored.class::isInstance);
    assertThat(storedRefs(part.id())).contains(3);
    for (Account a : List.of(two, one)) {
      for (Device d : store.devices().devices(a.id())) {
        List<StoredEnvelope> queued = store.messages().pending(a.id(), d.id(), 0, 10);
        assertThat(queued).hasSize(1);
        assertThat(queued.getFirst().envelope().content())
            .isEqualTo(sealedContent(a, d.id(), part));
      }
    }
  }

  @Test
  void theLastAcknowledgementDeletesThePartAndNoEarlierOne() {
    Account two = register(10);
    link(two, 11);
    Account one = register(20);
    SharedPart part = SharedPart.of(StoreFixture.bytes(700));
    fanOut(part, two, one);

    acknowledgeAll(two, ONE);
    assertThat(storedRefs(part.id())).contains(2);
    acknowledgeAll(two, TWO);
    assertThat(storedRefs(part.id())).contains(1);
    assertThat(store.messages().pending(one.id(), ONE, 0, 10).getFirst().envelope().content())
        .isEqualTo(sealedContent(one, ONE, part));
    acknowledgeAll(one, ONE);
    assertThat(storedRefs(part.id())).isEmpty();
  }

  @Test
  void anAcknowledgementThatDoesNotHoldReleasesNothing() {
    Account one = register(20);
    SharedPart part = SharedPart.of(StoreFixture.bytes(700));
    fanOut(part, one);
    String id = store.messages().pending(one.id(), ONE, 0, 10).getFirst().envelope().id();

    assertThat(store.messages().acknowledge(one.id(), ONE, List.of(id, "no-such-envelope")))
        .isFalse();
    assertThat(storedRefs(part.id())).contains(1);
  }

  @Test
  void aPartWhoseEnvelopesCommitInSeveralSendsCountsThemAllAndComesBackIfDeletedBetween() {
    Account first = register(10);
    Account second = register(20);
    Account third = register(30);
    SharedPart part = SharedPart.of(StoreFixture.bytes(700));

    fanOut(part, first);
    fanOut(part, second);
    assertThat(storedRefs(part.id())).contains(2);
    acknowledgeAll(first, ONE);
    acknowledgeAll(second, ONE);
    assertThat(storedRefs(part.id())).isEmpty();
    // a later account's send of the same upload (another batch) stores the part again
    fanOut(part, third);
    assertThat(storedRefs(part.id())).contains(1);
    assertThat(store.messages().pending(third.id(), ONE, 0, 10).getFirst().envelope().content())
        .isEqualTo(sealedContent(third, ONE, part));
  }

  @Test
  void aSendRefusedForStaleDevicesAddsNoReference() {
    Account one = register(20);
    SharedPart part = SharedPart.of(StoreFixture.bytes(700));
    AddressedEnvelope stale =
        new AddressedEnvelope(ONE, 21, envelope(sealedContent(one, ONE, part)), part);

    assertThat(store.messages().enqueue(one.id(), null, List.of(stale)))
        .isInstanceOf(EnqueueResult.StaleDevices.class);
    assertThat(storedRefs(part.id())).isEmpty();
  }

  @Test
  void removingADeviceReleasesItsReferencesAndTheLastDeletesThePart() {
    Account two = register(10);
    link(two, 11);
    SharedPart kept = SharedPart.of(StoreFixture.bytes(700));
    SharedPart gone = SharedPart.of(StoreFixture.bytes(700));
    fanOut(kept, two);
    // a part only the removed device's envelope references (the phone withheld, as a sender
    // refusing to encrypt to it would)
    AddressedEnvelope onlyTwo =
        new AddressedEnvelope(TWO, 11, envelope(sealedContent(two, TWO, gone)), gone);
    assertThat(store.messages().enqueue(two.id(), null, Set.of(ONE), List.of(onlyTwo)))
        .isInstanceOf(EnqueueResult.Stored.class);
    assertThat(storedRefs(gone.id())).contains(1);

    assertThat(store.devices().remove(two.id(), TWO)).isEqualTo(DeviceStore.Removal.REMOVED);

    assertThat(storedRefs(kept.id())).contains(1);
    assertThat(storedRefs(gone.id())).isEmpty();
    acknowledgeAll(two, ONE);
    assertThat(storedRefs(kept.id())).isEmpty();
  }

  @Test
  void racingAcknowledgementsAndRemovalsDeleteThePartWithTheLastReferenceOnly() throws Exception {
    List<Account> members = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      Account member = register(10 + i);
      link(member, 100 + i);
      members.add(member);
    }
    SharedPart part = SharedPart.of(StoreFixture.bytes(700));
    fanOut(part, members.toArray(Account[]::new));
    assertThat(storedRefs(part.id())).contains(24);

    // every member's phone acknowledges while its laptop is removed, all at once; the last
    // member's laptop stays, so exactly one reference must be left whatever the interleaving
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < members.size(); i++) {
        Account member = members.get(i);
        boolean last = i == members.size() - 1;
        done.add(
            pool.submit(
                () -> {
                  start.await();
                  acknowledgeAll(member, ONE);
                  return null;
                }));
        if (!last) {
          done.add(
              pool.submit(
                  () -> {
                    start.await();
                    return store.devices().remove(member.id(), TWO);
                  }));
        }
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(storedRefs(part.id())).contains(1);
    acknowledgeAll(members.getLast(), TWO);
    assertThat(storedRefs(part.id())).isEmpty();
  }

  /**
   * One upload's envelopes to every device of each account, each account's send issued at once as
   * the server's fan-out does (so a backend may commit them in one batch or several).
   */
  private List<EnqueueResult> fanOut(SharedPart part, Account... accounts) {
    List<CompletableFuture<EnqueueResult>> sends = new ArrayList<>();
    for (Account a : accounts) {
      List<AddressedEnvelope> envelopes = new ArrayList<>();
      for (Device d : store.devices().devices(a.id())) {
        envelopes.add(
            new AddressedEnvelope(
                d.id(), d.registrationId(), envelope(sealedContent(a, d.id(), part)), part));
      }
      sends.add(store.messages().enqueueAsync(a.id(), null, Set.of(), envelopes));
    }
    return sends.stream().map(CompletableFuture::join).toList();
  }

  /** A device's share: 49 bytes of its own (as a sealed share's), then the shared part. */
  private static byte[] sealedContent(Account account, DeviceId device, SharedPart part) {
    byte[] own = new byte[49];
    byte[] seed = (account.id().value() + "/" + device.value()).getBytes();
    for (int i = 0; i < own.length; i++) {
      own[i] = seed[i % seed.length];
    }
    byte[] content = Arrays.copyOf(own, own.length + part.bytes().length);
    System.arraycopy(part.bytes(), 0, content, own.length, part.bytes().length);
    return content;
  }

  private static Envelope envelope(byte[] content) {
    return new Envelope(
        UUID.randomUUID().toString(),
        null,
        null,
        null,
        EnvelopeType.SEALED_SENDER,
        17L,
        18L,
        content);
  }

  private void acknowledgeAll(Account account, DeviceId device) {
    List<String> ids =
        store.messages().pending(account.id(), device, 0, 100).stream()
            .map(e -> e.envelope().id())
            .toList();
    assertThat(store.messages().acknowledge(account.id(), device, ids)).isTrue();
  }
}
