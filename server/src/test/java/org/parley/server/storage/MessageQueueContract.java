package org.parley.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.message.Envelope;
import org.parley.protocol.message.EnvelopeType;
import org.parley.server.account.Account;
import org.parley.server.message.EnqueueResult;
import org.parley.server.message.StoredEnvelope;

/** The contract of {@link org.parley.server.message.MessageQueue}. */
public abstract class MessageQueueContract extends StoreContractBase {
  private static final DeviceId ONE = DeviceId.of(1);
  private static final DeviceId TWO = DeviceId.of(2);
  private static final DeviceId THREE = DeviceId.of(3);

  private Envelope from(Account sender, String text) {
    return StoreFixture.envelope(sender, ONE, text);
  }

  @Test
  void enqueueStoresOneEnvelopePerDeviceAndPendingReturnsThemWhole() {
    Account sender = register(1);
    Account recipient = register(100);
    link(recipient, 200);
    Envelope toPhone =
        new Envelope(
            "id-phone",
            sender.id(),
            sender.handle(),
            ONE,
            EnvelopeType.PREKEY_MESSAGE,
            17L,
            18L,
            StoreFixture.bytes(98304));
    Envelope toLaptop = from(sender, "to the laptop");

    EnqueueResult result =
        store
            .messages()
            .enqueue(recipient.id(), null, List.of(to(ONE, 100, toPhone), to(TWO, 200, toLaptop)));

    assertThat(result).isInstanceOf(EnqueueResult.Stored.class);
    List<StoredEnvelope> stored = ((EnqueueResult.Stored) result).envelopes();
    assertThat(stored).extracting(StoredEnvelope::recipientDeviceId).containsExactly(ONE, TWO);
    assertThat(stored).extracting(StoredEnvelope::recipientAccountId).containsOnly(recipient.id());
    List<StoredEnvelope> phone = store.messages().pending(recipient.id(), ONE, 0, 10);
    assertThat(phone).hasSize(1);
    assertThat(phone.get(0).seq()).isEqualTo(stored.get(0).seq());
    assertThat(phone.get(0).recipientDeviceId()).isEqualTo(ONE);
    // the 96 KiB content compared as one array: a recursive comparison would walk it byte by byte
    assertThat(phone.get(0).envelope())
        .usingRecursiveComparison()
        .ignoringFields("content")
        .isEqualTo(toPhone);
    assertThat(phone.get(0).envelope().content()).isEqualTo(toPhone.content());
    assertThat(store.messages().pending(recipient.id(), TWO, 0, 10).get(0).envelope())
        .usingRecursiveComparison()
        .isEqualTo(toLaptop);
    assertThat(store.messages().count(recipient.id(), ONE)).isEqualTo(1);
    assertThat(store.messages().count(recipient.id(), TWO)).isEqualTo(1);
  }

  @Test
  void enqueueToStoresOneEnvelopeForOneDeviceAfterWhatIsQueued() {
    Account sender = register(1);
    Account recipient = register(100);
    link(recipient, 200);
    StoredEnvelope first = sendToAll(sender, recipient, "honest").envelopes().get(1);
    Envelope forged = StoreFixture.envelope(sender, DeviceId.of(126), "forged");

    StoredEnvelope stored = store.messages().enqueueTo(recipient.id(), TWO, forged).orElseThrow();

    assertThat(stored.recipientDeviceId()).isEqualTo(TWO);
    assertThat(stored.seq()).isGreaterThan(first.seq());
    assertThat(store.messages().pending(recipient.id(), TWO, first.seq(), 10))
        .singleElement()
        .satisfies(e -> assertThat(e.envelope()).usingRecursiveComparison().isEqualTo(forged));
    assertThat(store.messages().count(recipient.id(), ONE)).isEqualTo(1); // only the honest one
    assertThat(sendToAll(sender, recipient, "after").envelopes().get(1).seq())
        .isGreaterThan(stored.seq());
  }

  @Test
  void enqueueToAnUnknownDeviceStoresNothing() {
    Account sender = register(1);
    Account recipient = register(100);
    Envelope forged = StoreFixture.envelope(sender, ONE, "forged");

    assertThat(store.messages().enqueueTo(recipient.id(), TWO, forged)).isEmpty();
    assertThat(store.messages().enqueueTo(AccountId.random(), ONE, forged)).isEmpty();
    assertThat(store.messages().count(recipient.id(), ONE)).isZero();
  }

  @Test
  void aStaleDeviceListGetsExactListsAndStoresNothing() {
    Account sender = register(1);
    Account recipient = register(100);
    link(recipient, 200);
    link(recipient, 300);

    // device 1 with an old registration id, device 2 right, device 3 forgotten, device 5 unknown
    EnqueueResult result =
        store
            .messages()
            .enqueue(
                recipient.id(),
                null,
                List.of(
                    to(DeviceId.of(5), 500, from(sender, "a")),
                    to(ONE, 99, from(sender, "b")),
                    to(TWO, 200, from(sender, "c"))));

    assertThat(result)
        .isEqualTo(new EnqueueResult.StaleDevices(List.of(3), List.of(5), List.of(1)));
    for (DeviceId device : List.of(ONE, TWO, THREE)) {
      assertThat(store.messages().count(recipient.id(), device)).isZero();
    }
  }

  @Test
  void eachKindOfStalenessAloneIsReported() {
    Account sender = register(1);
    Account recipient = register(100);
    link(recipient, 200);

    assertThat(
            store
                .messages()
                .enqueue(recipient.id(), null, List.of(to(ONE, 100, from(sender, "a")))))
        .isEqualTo(new EnqueueResult.StaleDevices(List.of(2), List.of(), List.of()));
    assertThat(
            store
                .messages()
                .enqueue(
                    recipient.id(),
                    null,
                    List.of(to(ONE, 100, from(sender, "a")), to(TWO, 201, from(sender, "b")))))
        .isEqualTo(new EnqueueResult.StaleDevices(List.of(), List.of(), List.of(2)));
    assertThat(
            store
                .messages()
                .enqueue(
                    recipient.id(),
                    null,
                    List.of(
                        to(ONE, 100, from(sender, "a")),
                        to(TWO, 200, from(sender, "b")),
                        to(THREE, 300, from(sender, "c")))))
        .isEqualTo(new EnqueueResult.StaleDevices(List.of(), List.of(3), List.of()));
    assertThat(store.messages().count(recipient.id(), ONE)).isZero();
  }

  @Test
  void anUnknownRecipientHasOnlyExtraDevices() {
    Account sender = register(1);
    assertThat(
            store
                .messages()
                .enqueue(AccountId.random(), null, List.of(to(ONE, 1, from(sender, "a")))))
        .isEqualTo(new EnqueueResult.StaleDevices(List.of(), List.of(1), List.of()));
  }

  @Test
  void sendingToTheOwnAccountLeavesOutTheSendingDevice() {
    Account account = register(100);
    link(account, 200);
    link(account, 300);

    assertThat(
            store
                .messages()
                .enqueue(
                    account.id(),
                    ONE,
                    List.of(
                        to(ONE, 100, from(account, "a")),
                        to(TWO, 200, from(account, "b")),
                        to(THREE, 300, from(account, "c")))))
        .isEqualTo(new EnqueueResult.StaleDevices(List.of(), List.of(1), List.of()));
    assertThat(
            store.messages().enqueue(account.id(), ONE, List.of(to(TWO, 200, from(account, "b")))))
        .isEqualTo(new EnqueueResult.StaleDevices(List.of(3), List.of(), List.of()));

    EnqueueResult result =
        store
            .messages()
            .enqueue(
                account.id(),
                ONE,
                List.of(to(THREE, 300, from(account, "c")), to(TWO, 200, from(account, "b"))));

    assertThat(result).isInstanceOf(EnqueueResult.Stored.class);
    assertThat(store.messages().count(account.id(), ONE)).isZero();
    assertThat(store.messages().count(account.id(), TWO)).isEqualTo(1);
    assertThat(store.messages().count(account.id(), THREE)).isEqualTo(1);
  }

  @Test
  void twoEnvelopesForOneDeviceAreRefused() {
    Account sender = register(1);
    Account recipient = register(2);
    assertThatThrownBy(
            () ->
                store
                    .messages()
                    .enqueue(
                        recipient.id(),
                        null,
                        List.of(to(ONE, 2, from(sender, "a")), to(ONE, 2, from(sender, "b")))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theQueueIsReadInSeqOrderPageByPageWithoutRemovingAnything() {
    Account sender = register(1);
    Account recipient = register(2);
    List<Long> seqs = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      seqs.add(sendToAll(sender, recipient, "m" + i).envelopes().get(0).seq());
    }
    assertThat(seqs).isSorted().doesNotHaveDuplicates();

    List<String> read = new ArrayList<>();
    List<Integer> pageSizes = new ArrayList<>();
    long after = 0;
    while (true) {
      List<StoredEnvelope> page = store.messages().pending(recipient.id(), ONE, after, 3);
      if (page.isEmpty()) {
        break;
      }
      pageSizes.add(page.size());
      for (StoredEnvelope e : page) {
        read.add(new String(e.envelope().content(), java.nio.charset.StandardCharsets.UTF_8));
      }
      after = page.get(page.size() - 1).seq();
    }

    assertThat(pageSizes).containsExactly(3, 3, 1);
    assertThat(read).containsExactly("m0", "m1", "m2", "m3", "m4", "m5", "m6");
    assertThat(store.messages().count(recipient.id(), ONE)).isEqualTo(7);
    assertThat(store.messages().pending(recipient.id(), ONE, seqs.get(3), 100))
        .extracting(StoredEnvelope::seq)
        .containsExactlyElementsOf(seqs.subList(4, 7));
  }

  @Test
  void seqKeepsGrowingAfterTheQueueEmpties() {
    Account sender = register(1);
    Account recipient = register(2);
    StoredEnvelope first = sendToAll(sender, recipient, "first").envelopes().get(0);
    assertThat(store.messages().acknowledge(recipient.id(), ONE, List.of(first.envelope().id())))
        .isTrue();

    StoredEnvelope second = sendToAll(sender, recipient, "second").envelopes().get(0);

    assertThat(second.seq()).isGreaterThan(first.seq());
    assertThat(store.messages().pending(recipient.id(), ONE, first.seq(), 10))
        .extracting(StoredEnvelope::seq)
        .containsExactly(second.seq());
  }

  /**
   * Every change of the recipient's devices between two sends reaches the second: a store may keep
   * what the first saw (PostgreSQL does, to write a batch in one statement) only if it checks it.
   */
  @Test
  void aChangeOfTheDevicesSinceTheLastSendIsSeenByTheNext() {
    Account sender = register(1);
    Account recipient = register(100);
    long first = sendToAll(sender, recipient, "first").envelopes().get(0).seq();
    long single =
        store.messages().enqueueTo(recipient.id(), ONE, from(sender, "single")).orElseThrow().seq();
    long second = sendToAll(sender, recipient, "second").envelopes().get(0).seq();
    assertThat(single).isGreaterThan(first);
    assertThat(second).isGreaterThan(single);

    DeviceId laptop = link(recipient, 200);
    assertThat(
            store
                .messages()
                .enqueue(recipient.id(), null, List.of(to(ONE, 100, from(sender, "old list")))))
        .isEqualTo(new EnqueueResult.StaleDevices(List.of(laptop.value()), List.of(), List.of()));
    assertThat(store.messages().count(recipient.id(), ONE)).isEqualTo(3);
    sendToAll(sender, recipient, "both");

    assertThat(store.devices().remove(recipient.id(), laptop))
        .isEqualTo(org.parley.server.device.DeviceStore.Removal.REMOVED);
    assertThat(
            store
                .messages()
                .enqueue(
                    recipient.id(),
                    null,
                    List.of(
                        to(ONE, 100, from(sender, "to a removed device")),
                        to(laptop, 200, from(sender, "to a removed device")))))
        .isEqualTo(new EnqueueResult.StaleDevices(List.of(), List.of(laptop.value()), List.of()));
    assertThat(store.messages().pending(recipient.id(), ONE, 0, 10))
        .extracting(
            e -> new String(e.envelope().content(), java.nio.charset.StandardCharsets.UTF_8))
        .containsExactly("first", "single", "second", "both");
    long last = sendToAll(sender, recipient, "last").envelopes().get(0).seq();
    assertThat(store.messages().pending(recipient.id(), ONE, 0, 10))
        .extracting(StoredEnvelope::seq)
        .isSorted()
        .doesNotHaveDuplicates()
        .endsWith(last);
  }

  @Test
  void acknowledgeIsAllOrNothing() {
    Account sender = register(1);
    Account recipient = register(2);
    String a = sendToAll(sender, recipient, "a").envelopes().get(0).envelope().id();
    String b = sendToAll(sender, recipient, "b").envelopes().get(0).envelope().id();
    String c = sendToAll(sender, recipient, "c").envelopes().get(0).envelope().id();

    assertThat(store.messages().acknowledge(recipient.id(), ONE, List.of(a, b, "no-such-envelope")))
        .isFalse();
    assertThat(store.messages().count(recipient.id(), ONE)).isEqualTo(3);

    assertThat(store.messages().acknowledge(recipient.id(), ONE, List.of(a, b, a))).isTrue();
    assertThat(store.messages().pending(recipient.id(), ONE, 0, 10))
        .extracting(e -> e.envelope().id())
        .containsExactly(c);

    assertThat(store.messages().acknowledge(recipient.id(), ONE, List.of(a, c)))
        .isFalse(); // a is gone already
    assertThat(store.messages().count(recipient.id(), ONE)).isEqualTo(1);
  }

  @Test
  void concurrentAcknowledgementsStayAllOrNothingAndEachEnvelopeIsDeletedOnce() throws Exception {
    Account sender = register(1);
    Account recipient = register(2);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      ids.add(sendToAll(sender, recipient, "m" + i).envelopes().get(0).envelope().id());
    }
    // 20 pairs of acknowledgements racing (and, where the store batches them, sharing a commit):
    // each pair names the same two envelopes, so exactly one of the two may hold; every fifth
    // pair also names an unknown id, so neither holds and both envelopes stay. Sends run beside
    // them so that acknowledgements and sends meet in the same batches.
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Boolean>> answers = new ArrayList<>();
      List<Future<EnqueueResult>> sends = new ArrayList<>();
      for (int pair = 0; pair < 20; pair++) {
        List<String> named = new ArrayList<>(List.of(ids.get(2 * pair), ids.get(2 * pair + 1)));
        if (pair % 5 == 0) {
          named.add("no-such-envelope");
        }
        for (int twin = 0; twin < 2; twin++) {
          answers.add(
              pool.submit(
                  () -> {
                    start.await();
                    return store.messages().acknowledge(recipient.id(), ONE, named);
                  }));
        }
        int n = pair;
        sends.add(
            pool.submit(
                () -> {
                  start.await();
                  return store
                      .messages()
                      .enqueue(recipient.id(), null, List.of(to(ONE, 2, from(sender, "s" + n))));
                }));
      }
      start.countDown();
      List<String> left = new ArrayList<>();
      for (int pair = 0; pair < 20; pair++) {
        boolean first = answers.get(2 * pair).get();
        boolean second = answers.get(2 * pair + 1).get();
        if (pair % 5 == 0) {
          assertThat(first || second).as("pair %d names an unknown id", pair).isFalse();
          left.add(ids.get(2 * pair));
          left.add(ids.get(2 * pair + 1));
        } else {
          assertThat(first ^ second).as("exactly one of pair %d holds", pair).isTrue();
        }
      }
      for (Future<EnqueueResult> send : sends) {
        assertThat(send.get()).isInstanceOf(EnqueueResult.Stored.class);
      }
      assertThat(store.messages().pending(recipient.id(), ONE, 0, 100))
          .extracting(e -> e.envelope().id())
          .containsAll(left)
          .hasSize(left.size() + 20);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aDeviceCannotAcknowledgeAnotherDevicesEnvelopes() {
    Account sender = register(1);
    Account recipient = register(2);
    link(recipient, 3);
    Account stranger = register(4);
    List<StoredEnvelope> sent = sendToAll(sender, recipient, "x").envelopes();
    String laptopsEnvelope = sent.get(1).envelope().id();

    assertThat(store.messages().acknowledge(recipient.id(), ONE, List.of(laptopsEnvelope)))
        .isFalse();
    assertThat(store.messages().acknowledge(stranger.id(), ONE, List.of(laptopsEnvelope)))
        .isFalse();
    assertThat(store.messages().acknowledge(sender.id(), ONE, List.of(sent.get(0).envelope().id())))
        .isFalse();

    assertThat(store.messages().count(recipient.id(), ONE)).isEqualTo(1);
    assertThat(store.messages().count(recipient.id(), TWO)).isEqualTo(1);
    assertThat(store.messages().acknowledge(recipient.id(), TWO, List.of(laptopsEnvelope)))
        .isTrue();
  }

  @Test
  void sendsCommittedTogetherKeepTheirOrderAndAStaleOneStoresNothing() {
    Account sender = register(1);
    Account recipient = register(100);
    Account other = register(300);
    // submitted without waiting, so that they are stored in as few transactions as the store likes
    List<java.util.concurrent.CompletableFuture<EnqueueResult>> answers = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      int registration = i % 10 == 3 ? 999 : 100; // every tenth send is stale
      answers.add(
          store
              .messages()
              .enqueueAsync(
                  recipient.id(),
                  null,
                  java.util.Set.of(),
                  List.of(to(ONE, registration, from(sender, "m" + i)))));
      if (i % 20 == 0) {
        answers.add(
            store
                .messages()
                .enqueueAsync(
                    other.id(),
                    null,
                    java.util.Set.of(),
                    List.of(to(ONE, 300, from(sender, "o")))));
      }
    }
    List<String> expected = new ArrayList<>();
    int k = 0;
    for (int i = 0; i < 60; i++) {
      EnqueueResult result = answers.get(k++).join();
      if (i % 10 == 3) {
        assertThat(result).isInstanceOf(EnqueueResult.StaleDevices.class);
        assertThat(((EnqueueResult.StaleDevices) result).stale()).containsExactly(1);
      } else {
        assertThat(result).isInstanceOf(EnqueueResult.Stored.class);
        expected.add("m" + i);
      }
      if (i % 20 == 0) {
        assertThat(answers.get(k++).join()).isInstanceOf(EnqueueResult.Stored.class);
      }
    }
    List<StoredEnvelope> queued = store.messages().pending(recipient.id(), ONE, 0, 100);
    assertThat(queued)
        .extracting(
            e -> new String(e.envelope().content(), java.nio.charset.StandardCharsets.UTF_8))
        .containsExactlyElementsOf(expected);
    for (int i = 1; i < queued.size(); i++) {
      assertThat(queued.get(i).seq()).isEqualTo(queued.get(i - 1).seq() + 1);
    }
    assertThat(store.messages().count(other.id(), ONE)).isEqualTo(3);
  }

  @Test
  void concurrentSendersGetDistinctSeqsInQueueOrder() throws Exception {
    Account recipient = register(2);
    int senders = 4;
    int each = 25;
    List<Account> accounts = new ArrayList<>();
    for (int i = 0; i < senders; i++) {
      accounts.add(register(10 + i));
    }
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(senders);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (Account sender : accounts) {
        done.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < each; i++) {
                    store
                        .messages()
                        .enqueue(
                            recipient.id(),
                            null,
                            List.of(to(ONE, 2, from(sender, sender.handle() + "#" + i))));
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    List<StoredEnvelope> queue = store.messages().pending(recipient.id(), ONE, 0, 500);
    assertThat(queue).hasSize(senders * each);
    assertThat(queue).extracting(StoredEnvelope::seq).isSorted().doesNotHaveDuplicates();
    for (Account sender : accounts) {
      // each sender's own messages keep their order
      List<String> mine =
          queue.stream()
              .filter(e -> e.envelope().sourceAccountId().equals(sender.id()))
              .map(e -> new String(e.envelope().content(), java.nio.charset.StandardCharsets.UTF_8))
              .toList();
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < each; i++) {
        expected.add(sender.handle() + "#" + i);
      }
      assertThat(mine).containsExactlyElementsOf(expected);
    }
  }
}
