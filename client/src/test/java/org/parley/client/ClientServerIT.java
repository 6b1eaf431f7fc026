package org.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.HistoryEntry.Direction;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.Handle;
import org.parley.server.ParleyServer;
import org.parley.server.ServerConfig;

/**
 * A smoke test against a real server in-process: alice with two linked devices and bob exchange
 * texts both ways; every device sees the conversation; receipts arrive.
 */
class ClientServerIT {
  @TempDir static Path dir;

  private static ParleyServer server;
  private static URI url;
  private static ParleyClient aliceLaptop;
  private static ParleyClient alicePhone;
  private static ParleyClient bob;

  @BeforeAll
  static void start() throws Exception {
    server =
        ParleyServer.start(
            ServerConfig.defaults()
                .withDomain("parley.test")
                .withPort(0)
                .withDataDir(dir.resolve("server"))
                .withKt(
                    org.parley.server.kt.KtSettings.defaults()
                        .withEpoch(
                            java.time.Duration.ofMillis(200), java.time.Duration.ofSeconds(5))));
    url = server.uri();
    aliceLaptop = ParleyClient.open(dir.resolve("alice-laptop"));
    alicePhone = ParleyClient.open(dir.resolve("alice-phone"));
    bob = ParleyClient.open(dir.resolve("bob"));

    aliceLaptop.register(url, "alice", "laptop");
    bob.register(url, "bob@parley.test", "desktop");

    PendingLink link = alicePhone.startLink(url, "phone");
    assertThat(link.uri()).startsWith("parley://link/" + link.code() + "#");
    LinkRequestInfo info = aliceLaptop.linkInfo(link.uri());
    assertThat(info.deviceName()).isEqualTo("phone");
    assertThat(info.verifiedByUri()).isTrue();
    aliceLaptop.approveLink(link.uri());
    DeviceIdentity phone =
        alicePhone.awaitLink(LinkConsent.expecting(Handle.of("alice@parley.test")));
    assertThat(phone.handle().value()).isEqualTo("alice@parley.test");
    assertThat(phone.deviceId().value()).isEqualTo(2);
  }

  @AfterAll
  static void stop() {
    for (ParleyClient c : new ParleyClient[] {aliceLaptop, alicePhone, bob}) {
      if (c != null) {
        c.close();
      }
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void textsFlowBothWaysToEveryDeviceWithReceipts() {
    assertThat(aliceLaptop.devices())
        .extracting(DeviceSummary::name)
        .containsExactly("laptop", "phone");

    SendResult hello = aliceLaptop.send("bob@parley.test", "hello bob");
    assertThat(hello.recipientDevices()).isEqualTo(1);
    assertThat(hello.ownDevices()).isEqualTo(1);

    List<ClientEvent> atBob = bob.receive();
    assertThat(atBob)
        .filteredOn(ClientEvent.MessageReceived.class::isInstance)
        .singleElement()
        .isInstanceOfSatisfying(
            ClientEvent.MessageReceived.class,
            m -> {
              assertThat(m.entry().text()).isEqualTo("hello bob");
              assertThat(m.entry().messageId()).contains(hello.messageId());
            });
    assertThat(bob.receive())
        .as("nothing is delivered twice")
        .noneMatch(ClientEvent.MessageReceived.class::isInstance);

    // the phone gets the sent copy, and both alice devices get bob's receipt
    List<ClientEvent> atPhone = alicePhone.receive();
    assertThat(atPhone).hasAtLeastOneElementOfType(ClientEvent.SentCopyReceived.class);
    assertThat(aliceLaptop.receive())
        .hasAtLeastOneElementOfType(ClientEvent.DeliveryConfirmed.class);
    HistoryEntry sent = byId(aliceLaptop, "bob", hello.messageId());
    assertThat(sent.direction()).isEqualTo(Direction.OUT);
    assertThat(sent.delivery().orElseThrow().describe()).isEqualTo("delivered to 1 of 1 device");
    assertThat(alicePhone.history("bob@parley.test", 10))
        .anySatisfy(e -> assertThat(e.text()).isEqualTo("hello bob"));

    // bob answers: one ciphertext per alice device, and a receipt from each
    SendResult reply = bob.send("alice", "hi alice");
    assertThat(reply.recipientDevices()).isEqualTo(2);
    assertThat(aliceLaptop.receive())
        .anySatisfy(e -> assertThat(e).isInstanceOf(ClientEvent.MessageReceived.class));
    assertThat(alicePhone.receive())
        .anySatisfy(e -> assertThat(e).isInstanceOf(ClientEvent.MessageReceived.class));
    bob.receive();
    HistoryEntry bobsReply = byId(bob, "alice", reply.messageId());
    assertThat(bobsReply.delivery().orElseThrow().describe())
        .isEqualTo("delivered to 2 of 2 devices");

    for (ParleyClient device : List.of(aliceLaptop, alicePhone)) {
      assertThat(device.history("bob", 10))
          .extracting(HistoryEntry::text)
          .containsSubsequence("hello bob", "hi alice");
    }
  }

  @Test
  void theListenerReceivesPushedMessagesAndSendsReceipts() throws Exception {
    BlockingQueue<ClientEvent> events = new LinkedBlockingQueue<>();
    SendResult sent;
    try (MessageListener listener = bob.listen(events::add)) {
      awaitEvent(events, ClientEvent.ConnectionChanged.class);
      sent = aliceLaptop.send("bob", "pushed to you");
      ClientEvent.MessageReceived received = awaitEvent(events, ClientEvent.MessageReceived.class);
      while (!received.entry().text().equals("pushed to you")) {
        received = awaitEvent(events, ClientEvent.MessageReceived.class);
      }
      assertThat(received.entry().text()).isEqualTo("pushed to you");
      assertThat(received.entry().messageId()).contains(sent.messageId());
      assertThat(listener.failure()).isEmpty();
    }
    // the receipt was sent once the listener's queue went quiet
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    HistoryEntry entry;
    do {
      aliceLaptop.receive();
      entry = byId(aliceLaptop, "bob", sent.messageId());
    } while (entry.delivery().orElseThrow().delivered() == 0 && System.nanoTime() < deadline);
    assertThat(entry.text()).isEqualTo("pushed to you");
    assertThat(entry.delivery().orElseThrow().delivered()).isEqualTo(1);
  }

  @Test
  void aRemovedDeviceGetsNothingMoreAndItsCredentialStops() {
    try (ParleyClient tablet = ParleyClient.open(dir.resolve("alice-tablet"))) {
      PendingLink link = tablet.startLink(url, "tablet");
      aliceLaptop.approveLink(link.code().value());
      int id = tablet.awaitLink(LinkConsent.any()).deviceId().value();
      assertThat(bob.send("alice", "to three devices").recipientDevices()).isEqualTo(3);
      assertThat(tablet.receive())
          .anySatisfy(e -> assertThat(e).isInstanceOf(ClientEvent.MessageReceived.class));

      aliceLaptop.removeDevice(id);
      assertThat(aliceLaptop.devices()).extracting(DeviceSummary::deviceId).doesNotContain(id);
      assertThat(bob.send("alice", "to two devices").recipientDevices()).isEqualTo(2);
      assertThatThrownBy(tablet::receive)
          .isInstanceOfSatisfying(
              ServerException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED));
    }
  }

  @Test
  void bothSidesComputeTheSameSafetyNumber() {
    String atBob = bob.safetyNumber("alice");
    assertThat(atBob).matches("[0-9]{60}");
    assertThat(aliceLaptop.safetyNumber("bob")).isEqualTo(atBob);
    assertThat(alicePhone.safetyNumber("bob@parley.test")).isEqualTo(atBob);
  }

  @Test
  void typedErrorsFromTheServer() {
    assertThatThrownBy(() -> aliceLaptop.send("nobody", "hello?"))
        .isInstanceOfSatisfying(
            ServerException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_HANDLE);
              assertThat(e.status()).isEqualTo(404);
            });
    try (ParleyClient stranger = ParleyClient.open(dir.resolve("stranger"))) {
      assertThatThrownBy(() -> stranger.register(url, "bob", "x"))
          .isInstanceOfSatisfying(
              ServerException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.HANDLE_TAKEN));
      assertThatThrownBy(() -> stranger.register(URI.create("http://127.0.0.1:1"), "carol", "x"))
          .isInstanceOf(ServerUnreachableException.class)
          .hasMessageStartingWith("cannot reach the server at http://127.0.0.1:1");
    }
  }

  private static HistoryEntry byId(ParleyClient device, String peer, String messageId) {
    return device.history(peer, 500).stream()
        .filter(e -> e.messageId().filter(messageId::equals).isPresent())
        .findFirst()
        .orElseThrow();
  }

  @SuppressWarnings("unchecked")
  private static <T extends ClientEvent> T awaitEvent(
      BlockingQueue<ClientEvent> events, Class<T> type) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      ClientEvent e = events.poll(200, TimeUnit.MILLISECONDS);
      if (type.isInstance(e)) {
        return (T) e;
      }
    }
    throw new AssertionError("no " + type.getSimpleName() + " within 20 s");
  }
}
