package org.parley.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.ClientEvent;
import org.parley.client.KtAlarm;
import org.parley.client.KtStatus;
import org.parley.client.ParleyClient;
import org.parley.client.SendResult;

/**
 * Issue 3's first misbehaviour: the server adds a ghost device to Bob's device list, in the
 * key-transparency log and in its directory, as a compromised or coerced operator would. Alice's
 * client never encrypts to it (its approval does not verify), and Bob's devices raise the alarm at
 * their first check after the entry that holds it. The same steps on an honest server raise
 * nothing.
 */
class GhostDeviceIT {
  @RegisterExtension final Servers servers = new Servers();

  private static final int GHOST = 127; // MisbehavingOperator.GHOST_DEVICE_ID (server test code)
  @TempDir Path dir;

  @AllBackends
  void aGhostDeviceIsNeverUsedAndItsOwnerIsAlarmed(Backend backend) throws Exception {
    try (ServerProcess server =
            ServerProcess.start(
                backend, dir.resolve("server"), List.of("--kt-test-misbehaviour", "true"));
        People people = new People(server, dir.resolve("clients"))) {
      ParleyClient alice = people.register("alice");
      ParleyClient bob1 = people.register("bob");
      ParleyClient bob2 = people.link(bob1, "bob-2");
      assertThat(alice.send("bob@example.org", "before").recipientDevices()).isEqualTo(2);
      assertThat(bob1.checkKeyTransparency()).isEmpty(); // honest so far

      long before = treeSize(server);
      ghost(server, bob1.identity().orElseThrow().accountId().value());
      // An entry being written while the switch flips may not hold the ghost; the one after does
      // (an empty one comes with the 5 s test heartbeat at the latest).
      awaitSize(server, before + 2);

      // Bob's devices, each on its own, see a version of their list that they never approved
      for (ParleyClient bob : List.of(bob1, bob2)) {
        List<KtAlarm> alarms = bob.checkKeyTransparency();
        assertThat(alarms).extracting(KtAlarm::kind).contains(KtAlarm.Kind.UNAPPROVED_DEVICE);
        assertThat(alarms)
            .anySatisfy(
                a ->
                    assertThat(a.message())
                        .contains("device " + GHOST)
                        .contains("none of your devices approved"));
        assertThat(alarms.getFirst().evidence()).isNotEmpty(); // the signed response is kept
      }

      // Alice is served the ghost by the directory and by the log, and refuses it, once she
      // proves bob's list again (the ghost takes no part in sends: CachedDeviceListIT)
      DeviceState.expireProofs(dir.resolve("clients").resolve("alice-1"));
      SendResult sent = alice.send("bob@example.org", "after");
      assertThat(sent.recipientDevices()).isEqualTo(2); // bob's two real devices, not the ghost
      assertThat(alice.keyTransparencyAlarms())
          .extracting(KtAlarm::kind)
          .contains(KtAlarm.Kind.UNAPPROVED_DEVICE);
      KtStatus status = alice.verify("bob@example.org");
      assertThat(status.refusedDevices()).containsExactly(GHOST);
      assertThat(texts(bob1.receive())).containsExactly("before", "after");
      assertThat(texts(bob2.receive())).containsExactly("before", "after");
    }
  }

  @AllBackends
  void theSameStepsOnAnHonestServerRaiseNothing(Backend backend) throws Exception {
    ServerProcess server = servers.start(backend);
    try (People people = new People(server, dir.resolve("clients"))) {
      ParleyClient alice = people.register("alice");
      ParleyClient bob1 = people.register("bob");
      ParleyClient bob2 = people.link(bob1, "bob-2");
      assertThat(alice.send("bob@example.org", "before").recipientDevices()).isEqualTo(2);
      for (ParleyClient client : List.of(alice, bob1, bob2)) {
        assertThat(client.checkKeyTransparency()).isEmpty();
      }
      assertThat(alice.send("bob@example.org", "after").recipientDevices()).isEqualTo(2);
      KtStatus status = alice.verify("bob@example.org");
      assertThat(status.provenDevices()).containsExactly(1, 2);
      assertThat(status.refusedDevices()).isEmpty();
      for (ParleyClient client : List.of(alice, bob1, bob2)) {
        assertThat(client.keyTransparencyAlarms()).isEmpty();
      }
      // the misbehaviour switch does not exist on a server started without it
      HttpResponse<String> refused =
          post(server, "/v1/test/kt/ghost/" + bob1.identity().orElseThrow().accountId().value());
      assertThat(refused.statusCode()).isEqualTo(404);
    }
  }

  private static void ghost(ServerProcess server, String account) throws Exception {
    assertThat(post(server, "/v1/test/kt/ghost/" + account).statusCode()).isEqualTo(204);
  }

  private static HttpResponse<String> post(ServerProcess server, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(server.uri() + path))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  /** Waits until the log has {@code size} entries (epochs are 200 ms in tests). */
  private static void awaitSize(ServerProcess server, long size) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (treeSize(server) < size) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the log did not grow");
      }
      Thread.sleep(50);
    }
  }

  private static long treeSize(ServerProcess server) throws Exception {
    String body =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(server.uri() + "/v1/kt/config")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    return Long.parseLong(body.replaceAll(".*\"treeSize\":(\\d+).*", "$1"));
  }

  private static List<String> texts(List<ClientEvent> events) {
    return events.stream()
        .filter(e -> e instanceof ClientEvent.MessageReceived)
        .map(e -> ((ClientEvent.MessageReceived) e).entry().text())
        .toList();
  }
}
