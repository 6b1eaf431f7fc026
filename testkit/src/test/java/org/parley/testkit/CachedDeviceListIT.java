package org.parley.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.ClientEvent;
import org.parley.client.KtAlarm;
import org.parley.client.ParleyClient;
import org.parley.client.SendResult;
import org.parley.protocol.DeviceId;
import org.parley.protocol.Json;
import org.parley.protocol.account.DeviceInfo;
import org.parley.protocol.account.DeviceList;
import org.parley.protocol.message.OutgoingMessage;
import org.parley.protocol.message.SendRequest;

/**
 * Issue 9: a send to a known contact reuses the proven device lists (docs/spec/delivery.md,
 * "Sending, step by step", step 1), counted at a relay in front of a real server; and the server
 * gains nothing from that reuse: a device it adds still needs its proof, and a device its owner
 * removed from the log stops being used once the proof window has passed, even while the server
 * keeps listing it and accepting messages for it.
 */
class CachedDeviceListIT {
  @RegisterExtension final Servers servers = new Servers();

  @TempDir Path dir;

  /** The tests' log epoch (ServerProcess) times the proof window of 30 epochs. */
  private static final Duration WINDOW = Duration.ofMillis(30 * 200);

  @Test
  void aSendToAKnownContactIsOneRequestAndTwoWithAnotherOwnDevice() throws Exception {
    ServerProcess server = servers.start(Backend.SQLITE);
    try (RequestRelay relay = new RequestRelay(server.uri());
        People people = new People(server, dir.resolve("clients"))) {
      ParleyClient bob = people.register("bob");
      ParleyClient alice = people.register("alice", relay.uri());
      String bobAccount = account(bob);
      String aliceAccount = account(alice);
      alice.send("bob@example.org", "first"); // looks bob up and proves his list

      relay.clear();
      assertThat(alice.send("bob@example.org", "second").recipientDevices()).isEqualTo(1);
      assertThat(relay.exchanges())
          .extracting(RequestRelay.Exchange::toString)
          .containsExactly("PUT /v1/messages/" + bobAccount + " 200");

      ParleyClient laptop = people.link(alice, "alice-2");
      alice.send("bob@example.org", "third"); // linking dropped the own list: proven again
      relay.clear();
      SendResult fourth = alice.send("bob@example.org", "fourth");
      assertThat(fourth.ownDevices()).isEqualTo(1);
      assertThat(relay.exchanges())
          .extracting(RequestRelay.Exchange::toString)
          .containsExactly(
              "PUT /v1/messages/" + bobAccount + " 200",
              "PUT /v1/messages/" + aliceAccount + " 200");

      assertThat(ForgedEnvelopeIT.receiveTexts(bob, 4))
          .containsExactly("first", "second", "third", "fourth");
      assertThat(
              laptop.receive().stream()
                  .filter(e -> e instanceof ClientEvent.SentCopyReceived)
                  .map(e -> ((ClientEvent.SentCopyReceived) e).entry().text()))
          .contains("third", "fourth");
    }
  }

  @Test
  void anAccountTheServerNoLongerKnowsIsLookedUpAgainByItsHandle() throws Exception {
    ServerProcess server = servers.start(Backend.SQLITE);
    try (RequestRelay relay = new RequestRelay(server.uri());
        People people = new People(server, dir.resolve("clients"))) {
      ParleyClient bob = people.register("bob");
      ParleyClient alice = people.register("alice", relay.uri());
      String bobAccount = account(bob);
      alice.send("bob@example.org", "first");
      relay.answerOnce(
          new RequestRelay.Answer(
              "PUT",
              "/v1/messages/" + bobAccount,
              404,
              "{\"code\":\"unknown_account\",\"message\":\"no such account\"}"));
      relay.clear();
      assertThat(alice.send("bob@example.org", "second").recipientDevices()).isEqualTo(1);
      assertThat(relay.exchanges())
          .extracting(RequestRelay.Exchange::toString)
          .startsWith(
              "PUT /v1/messages/" + bobAccount + " 404",
              "GET /v1/handles/bob@example.org 200",
              "GET /v1/accounts/" + bobAccount + "/devices 200")
          .endsWith("PUT /v1/messages/" + bobAccount + " 200");
      assertThat(ForgedEnvelopeIT.receiveTexts(bob, 2)).containsExactly("first", "second");
    }
  }

  @Test
  void aDeviceTheServerAddsAfterTheListWasCachedStillNeedsItsProof() throws Exception {
    ServerProcess server =
        ServerProcess.start(
            Backend.SQLITE, dir.resolve("server"), List.of("--kt-test-misbehaviour", "true"));
    try (server;
        RequestRelay relay = new RequestRelay(server.uri());
        People people = new People(server, dir.resolve("clients"))) {
      ParleyClient bob1 = people.register("bob");
      ParleyClient bob2 = people.link(bob1, "bob-2");
      ParleyClient alice = people.register("alice", relay.uri());
      String bob = account(bob1);
      assertThat(alice.send("bob@example.org", "before").recipientDevices()).isEqualTo(2);

      long size = AuditIT.treeSize(server);
      assertThat(new Switch(server).ghost(bob, null, null)).isEqualTo(204);
      AuditIT.awaitSize(server, size + 2); // the ghost is in the log and in the directory

      // This server lists the ghost but would take a send without it: play the server that
      // refuses the cached list for missing it, as a server pushing a ghost on senders would.
      relay.answerOnce(
          new RequestRelay.Answer(
              "PUT",
              "/v1/messages/" + bob,
              409,
              "{\"code\":\"stale_devices\",\"message\":\"the device list changed\","
                  + "\"missingDevices\":[127],\"extraDevices\":[],\"staleDevices\":[]}"));
      relay.clear();
      SendResult sent = alice.send("bob@example.org", "after");
      assertThat(sent.recipientDevices()).isEqualTo(2); // not the ghost
      List<String> requests =
          relay.exchanges().stream().map(RequestRelay.Exchange::toString).toList();
      // the cached list misses the ghost: the server must say so, and the new list is proven
      assertThat(requests.getFirst()).isEqualTo("PUT /v1/messages/" + bob + " 409");
      // its proof comes with it (docs/spec/api.md, "Proofs come with what they prove"), and
      // proves the ghost unapproved (the alarm below)
      assertThat(requests).contains("GET /v1/accounts/" + bob + "/devices 200");
      assertThat(requests.getLast()).isEqualTo("PUT /v1/messages/" + bob + " 200");
      assertThat(alice.keyTransparencyAlarms())
          .extracting(KtAlarm::kind)
          .contains(KtAlarm.Kind.UNAPPROVED_DEVICE);
      assertThat(alice.verify("bob@example.org").refusedDevices()).containsExactly(127);
      assertThat(ForgedEnvelopeIT.receiveTexts(bob1, 2)).containsExactly("before", "after");
      assertThat(ForgedEnvelopeIT.receiveTexts(bob2, 2)).containsExactly("before", "after");
    }
  }

  @Test
  void aRemovedDeviceTheServerStillAcceptsIsDroppedOnceTheWindowHasPassed() throws Exception {
    ServerProcess server = servers.start(Backend.SQLITE);
    try (RequestRelay relay = new RequestRelay(server.uri());
        People people = new People(server, dir.resolve("clients"))) {
      ParleyClient bob = people.register("bob");
      people.link(bob, "bob-2");
      String bobAccount = account(bob);
      String devicesPath = "/v1/accounts/" + bobAccount + "/devices";
      String sendPath = "/v1/messages/" + bobAccount;
      // The relay plays a server that keeps device 2 after Bob removed it: it lists it as before
      // and takes messages for it (keeping them from the real server, which would refuse them).
      AtomicReference<DeviceInfo> kept = new AtomicReference<>();
      List<String> offeredTo2 = new CopyOnWriteArrayList<>();
      relay.rewriteResponses(
          (method, path, body) -> {
            if (!path.equals(devicesPath) || body.length == 0) {
              return body;
            }
            DeviceList list = Json.read(body, DeviceList.class);
            var two = list.devices().stream().filter(d -> d.deviceId().value() == 2).findFirst();
            if (two.isPresent()) {
              kept.set(two.get());
              return body;
            }
            List<DeviceInfo> devices = new ArrayList<>(list.devices());
            devices.add(kept.get());
            return Json.write(new DeviceList(list.accountId(), list.handle(), devices));
          });
      AtomicReference<String> phase = new AtomicReference<>("before");
      relay.rewriteRequests(
          (method, path, body) -> {
            if (!path.equals(sendPath) || phase.get().equals("before")) {
              return body;
            }
            SendRequest request = Json.read(body, SendRequest.class);
            List<OutgoingMessage> messages = new ArrayList<>();
            for (OutgoingMessage m : request.messages()) {
              if (m.deviceId().value() == 2) {
                offeredTo2.add(phase.get());
              } else {
                messages.add(m);
              }
            }
            List<DeviceId> withheld =
                request.withheldDevices().stream().filter(d -> d.value() != 2).toList();
            return Json.write(new SendRequest(messages, request.timestamp(), withheld));
          });
      ParleyClient alice = people.register("alice", relay.uri());
      assertThat(alice.send("bob@example.org", "to both").recipientDevices()).isEqualTo(2);
      long proven = System.nanoTime();

      bob.removeDevice(2); // stolen; the log drops it within an epoch
      phase.set("within");
      // within the window the cached proof is relied on, as a receiver relies on it
      assertThat(alice.send("bob@example.org", "within").recipientDevices()).isEqualTo(2);

      outlastProofWindow(proven);
      phase.set("after");
      SendResult after = alice.send("bob@example.org", "after");
      assertThat(after.recipientDevices()).isEqualTo(1);
      assertThat(after.withheldDevices()).containsKey(2);
      assertThat(offeredTo2).containsExactly("within");
      assertThat(ForgedEnvelopeIT.receiveTexts(bob, 3))
          .containsExactly("to both", "within", "after");
    }
  }

  /**
   * Waits until a device list a client proved at {@code provenAt} ({@link System#nanoTime()}) is
   * past the proof window, so that its next send proves the list again.
   */
  static void outlastProofWindow(long provenAt) throws InterruptedException {
    long wait = WINDOW.toNanos() - (System.nanoTime() - provenAt) + 500_000_000L;
    if (wait > 0) {
      Thread.sleep(Duration.ofNanos(wait));
    }
  }

  private static String account(ParleyClient client) {
    return client.identity().orElseThrow().accountId().value();
  }
}
