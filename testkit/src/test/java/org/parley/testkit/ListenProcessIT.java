package org.parley.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.ClientEvent;
import org.parley.client.HistoryEntry;
import org.parley.client.MessageListener;
import org.parley.client.ParleyClient;

/**
 * Issue 8, items 1 and 2, the README's workflow: {@code parley listen} runs in one process while
 * the same profile sends from another. Receipts that come back before a send returns are not lost;
 * the listener outlives server crashes (SIGKILL) and prints every message exactly once; a second
 * listener on the profile is refused.
 */
class ListenProcessIT {
  @RegisterExtension final Servers servers = new Servers();

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void everyReceiptCountsWhileTheSameProfileListensInAnotherProcess() throws Exception {
    ServerProcess server = servers.start(Backend.SQLITE);
    try (People people = new People(server, dir.resolve("clients"))) {
      ParleyClient alice = people.register("alice");
      ParleyClient bob = people.register("bob");
      alice.send("bob@example.org", "hello"); // sessions both ways before the race
      bob.receive();
      alice.receive();
      List<ClientEvent> bobEvents = new CopyOnWriteArrayList<>();
      try (MessageListener bobListens = bob.listen(bobEvents::add);
          CliProcess aliceListens =
              CliProcess.start(dir.resolve("cli"), people.profile("alice-1"), "--json", "listen")) {
        aliceListens.awaitLine(l -> l.contains("\"event\":\"connected\""), "connected");
        for (int i = 1; i <= 5; i++) {
          // bob's listener answers each at once: the receipt races the end of the send
          alice.send("bob@example.org", "message " + i);
        }
        ListenerReconnectIT.awaitTrue(
            () ->
                alice.history("bob@example.org", 10).stream()
                    .filter(e -> e.text().startsWith("message "))
                    .allMatch(ListenProcessIT::deliveredToAll),
            () ->
                "alice's history: "
                    + alice.history("bob@example.org", 10)
                    + "; listen printed "
                    + aliceListens.outLines());
      }
      assertThat(alice.history("bob@example.org", 10))
          .filteredOn(e -> e.text().startsWith("message "))
          .hasSize(5)
          .allSatisfy(
              e ->
                  assertThat(e.delivery().orElseThrow().describe())
                      .isEqualTo("delivered to 1 of 1 device"));
    }
  }

  @Test
  void listenPrintsEveryMessageOnceAcrossServerKillsAndASecondListenIsRefused() throws Exception {
    ServerProcess server = servers.start(Backend.SQLITE);
    try (People people = new People(server, dir.resolve("clients"))) {
      people.register("alice").close();
      ParleyClient bob = people.register("bob");
      Path aliceProfile = people.profile("alice-1");
      List<String> sent = new ArrayList<>();
      try (CliProcess listen =
          CliProcess.start(dir.resolve("cli"), aliceProfile, "--json", "listen")) {
        listen.awaitLine(l -> l.contains("\"event\":\"connected\""), "connected");

        CliProcess second = CliProcess.run(dir.resolve("cli"), aliceProfile, "listen");
        assertThat(second.exitCode()).isEqualTo(7);
        assertThat(second.err())
            .startsWith("parley: parley listen is already running for the" + " profile")
            .doesNotContain("Exception");

        for (int round = 1; round <= 3; round++) {
          for (int i = 1; i <= 4; i++) {
            String text = "round " + round + " message " + i;
            bob.send("alice@example.org", text); // sent, or kept in bob's outbox
            sent.add(text);
            if (i == 2) {
              server.kill(); // SIGKILL while messages flow to the listener
              server.restart();
            }
          }
        }
        ListenerReconnectIT.awaitTrue(() -> bob.flushOutbox().stream().allMatch(r -> r.sent()));
        for (String text : sent) {
          listen.awaitLine(l -> text(l).equals(text), "with " + text);
        }
        assertThat(listen.isAlive()).isTrue();
        List<String> printed =
            listen.outLines().stream()
                .filter(l -> l.contains("\"event\":\"message\""))
                .map(ListenProcessIT::text)
                .toList();
        assertThat(printed).containsExactlyInAnyOrderElementsOf(sent); // each exactly once
        assertThat(listen.outLines().stream().filter(l -> l.contains("\"event\":\"connected\"")))
            .hasSizeGreaterThan(1); // and the messages after the last kill came on a new connection
      }
    }
  }

  private static String text(String line) {
    try {
      JsonNode node = JSON.readTree(line);
      return node.path("event").asText().equals("message") ? node.path("text").asText() : "";
    } catch (Exception e) {
      return "";
    }
  }

  private static boolean deliveredToAll(HistoryEntry e) {
    return e.delivery()
        .map(d -> d.recipientDevices().isPresent() && d.delivered() >= d.recipientDevices().get())
        .orElse(false);
  }
}
