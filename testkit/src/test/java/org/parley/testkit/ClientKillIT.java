package org.parley.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.HistoryEntry;
import org.parley.client.ParleyClient;

/**
 * Issue 9: a send commits its text and outbox row without waiting for the disk, and only the
 * encryption's commit before the request waits (docs/architecture.md, "One fsync per send"). What
 * that must keep: a client process killed (SIGKILL) after its send reached the server and before
 * the answer came back still has the text, in its history and its outbox; the next command sends it
 * again and the recipient sees it once.
 */
class ClientKillIT {
  @TempDir Path dir;

  @Test
  void aTextOnTheNetworkSurvivesTheSenderBeingKilled() throws Exception {
    try (ServerProcess server = ServerProcess.start(Backend.SQLITE, dir.resolve("server"));
        RequestRelay relay = new RequestRelay(server.uri());
        People people = new People(server, dir.resolve("clients"))) {
      ParleyClient bob = people.register("bob");
      ParleyClient alice = people.register("alice", relay.uri());
      alice.send("bob@example.org", "before"); // a known contact from here on
      alice.close(); // the profile is the CLI process's now

      CountDownLatch stored = new CountDownLatch(1);
      CountDownLatch never = new CountDownLatch(1);
      relay.rewriteResponses(
          (method, path, body) -> {
            if (method.equals("PUT") && path.startsWith("/v1/messages/")) {
              stored.countDown(); // the server took it; its answer never reaches the sender
              try {
                never.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
            return body;
          });
      String text = "killed while waiting " + UUID.randomUUID();
      CliProcess send =
          CliProcess.start(
              dir.resolve("cli"), people.profile("alice-1"), "send", "bob@example.org", text);
      try {
        assertThat(stored.await(90, TimeUnit.SECONDS))
            .as("the send reached the server; stderr: %s", send.err())
            .isTrue();
        send.kill();
      } finally {
        send.close();
      }
      relay.rewriteResponses((method, path, body) -> body);
      never.countDown();

      ParleyClient again = people.open("alice-1");
      assertThat(again.outbox()).extracting(HistoryEntry::text).containsExactly(text);
      assertThat(again.history("bob@example.org", 10))
          .filteredOn(e -> e.text().equals(text))
          .singleElement()
          .satisfies(
              e ->
                  assertThat(e.delivery().orElseThrow().state())
                      .isEqualTo(HistoryEntry.Delivery.State.PENDING));

      assertThat(again.flushOutbox()).singleElement().satisfies(r -> assertThat(r.sent()).isTrue());
      assertThat(again.outbox()).isEmpty();
      // the server holds it twice (the killed attempt and the retry): the person sees it once
      assertThat(ForgedEnvelopeIT.receiveTexts(bob, 2)).containsExactly("before", text);
      assertThat(ForgedEnvelopeIT.texts(bob.receive())).isEmpty();
      assertThat(bob.history("alice@example.org", 10))
          .extracting(HistoryEntry::text)
          .containsExactly("before", text);
    }
  }
}
