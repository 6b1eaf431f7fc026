package org.parley.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.ClientEvent;
import org.parley.client.GroupInfo;
import org.parley.client.MessageListener;
import org.parley.client.ParleyClient;

/**
 * Typing indicators (issue 10; docs/spec/api.md, "Ephemeral messages"), one-to-one and in a group,
 * through a real server process: a device listening at that moment is told; the server queues
 * nothing, so a device that was not connected never hears of it.
 */
class TypingIT {
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  @RegisterExtension final Servers servers = new Servers();

  @TempDir Path dir;

  @AllBackends
  void typingReachesTheDevicesListeningNowAndIsStoredNowhere(Backend backend) throws Exception {
    ServerProcess server = servers.start(backend);
    try (People people = new People(server, dir.resolve("clients"))) {
      ParleyClient alice = people.register("alice");
      ParleyClient bob1 = people.register("bob");
      ParleyClient bob2 = people.link(bob1, "bob-2");
      String bobAccount = bob1.identity().orElseThrow().accountId().value();
      GroupInfo group = alice.createGroup("friends", List.of("bob@example.org"));
      alice.sendToGroup("friends", "hello"); // bob's devices get alice's chain
      bob1.receive();
      bob2.receive();
      alice.receive();
      assertThat(DatabaseScan.envelopeIds(server, bobAccount)).isEmpty();

      List<ClientEvent> heard = new CopyOnWriteArrayList<>();
      try (MessageListener listening = bob1.listen(heard::add)) {
        await(heard, e -> e instanceof ClientEvent.ConnectionChanged c && c.connected());
        // the client hears it is connected a moment before the server has registered the socket,
        // and an indicator sent in between is dropped by design: sent again each second, as an
        // app repeats it while the person types
        ClientEvent.Typing direct =
            (ClientEvent.Typing)
                repeatUntil(
                    () ->
                        assertThat(alice.typing("bob@example.org", false, true).devices())
                            .isEqualTo(2),
                    heard,
                    e -> e instanceof ClientEvent.Typing t && t.started());
        assertThat(direct.conversation()).isEqualTo("alice@example.org");
        assertThat(direct.sender()).isEqualTo("alice@example.org");

        repeatUntil(
            () -> assertThat(alice.typing("friends", true, true).devices()).isEqualTo(2),
            heard,
            e ->
                e instanceof ClientEvent.Typing t && t.conversation().equals(group.conversation()));
        repeatUntil(
            () -> alice.typing("bob@example.org", false, false),
            heard,
            e -> e instanceof ClientEvent.Typing t && !t.started());

        // nothing queued: neither for the listening device nor for the one not connected
        assertThat(DatabaseScan.envelopeIds(server, bobAccount)).isEmpty();
        assertThat(listening.failure()).isEmpty();
      }
      assertThat(bob2.receive()).noneMatch(ClientEvent.Typing.class::isInstance);
      assertThat(bob1.history("alice@example.org", 10)).isEmpty();
      // the ratchet steps the indicators took do not get in the way of what follows
      alice.send("bob@example.org", "still there?");
      assertThat(ConversationIT.texts(bob2.receive(), ClientEvent.MessageReceived.class))
          .containsExactly("still there?");
      assertThat(ConversationIT.texts(bob1.receive(), ClientEvent.MessageReceived.class))
          .containsExactly("still there?");
    }
  }

  /** Does {@code send} once a second until an event matches (at most {@link #DEADLINE}). */
  private static ClientEvent repeatUntil(
      Runnable send, List<ClientEvent> events, Predicate<ClientEvent> what)
      throws InterruptedException {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (true) {
      send.run();
      long next = System.nanoTime() + Duration.ofSeconds(1).toNanos();
      while (System.nanoTime() < next) {
        var match = events.stream().filter(what).findFirst();
        if (match.isPresent()) {
          return match.get();
        }
        Thread.sleep(50);
      }
      assertThat(System.nanoTime())
          .as("within " + DEADLINE + "; got " + events)
          .isLessThan(deadline);
    }
  }

  private static ClientEvent await(List<ClientEvent> events, Predicate<ClientEvent> what)
      throws InterruptedException {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (true) {
      var match = events.stream().filter(what).findFirst();
      if (match.isPresent()) {
        return match.get();
      }
      assertThat(System.nanoTime())
          .as("within " + DEADLINE + "; got " + events)
          .isLessThan(deadline);
      Thread.sleep(50);
    }
  }
}
