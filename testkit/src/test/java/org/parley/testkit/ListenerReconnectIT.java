package org.parley.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.ClientEvent;
import org.parley.client.MessageListener;
import org.parley.client.ParleyClient;

/**
 * Issue 8, item 2: a connection that drops while the listener acknowledges (here cut right after
 * the server pushed an envelope, so the ack cannot be written) costs nothing. The message is shown
 * once, the listener connects again by itself, the redelivered envelope is acknowledged without a
 * second event, and later messages keep coming.
 */
class ListenerReconnectIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void aConnectionLostWhileAcknowledgingIsReconnectedAndNothingIsLostOrDoubled() throws Exception {
    try (ServerProcess server = ServerProcess.start(Backend.SQLITE, dir.resolve("server"));
        CuttingProxy proxy = new CuttingProxy(server.uri());
        People people = new People(server, dir.resolve("clients"))) {
      ParleyClient alice = people.open("alice-1");
      alice.register(proxy.uri(), "alice@" + ServerProcess.DOMAIN, "alice phone");
      ParleyClient bob = people.register("bob");
      List<ClientEvent> events = new CopyOnWriteArrayList<>();
      try (MessageListener listener = alice.listen(events::add)) {
        await(events, e -> e instanceof ClientEvent.ConnectionChanged c && c.connected());
        // the pushed envelope names its sender's handle (a CBOR text string, as is): nothing else
        // alice is sent holds it before that envelope
        proxy.cutAfter("bob@example.org");
        bob.send("alice@example.org", "one");
        await(events, e -> received(e, "one"));
        assertThat(proxy.cuts()).isEqualTo(1);
        // connected again, and the envelope the lost ack left queued was acknowledged this time
        awaitCount(events, e -> e instanceof ClientEvent.ConnectionChanged c && c.connected(), 2);
        String aliceAccount = alice.identity().orElseThrow().accountId().value();
        awaitTrue(() -> DatabaseScan.envelopeIds(server, aliceAccount).isEmpty());

        bob.send("alice@example.org", "two");
        await(events, e -> received(e, "two"));
        assertThat(listener.failure()).isEmpty();
      }
      assertThat(events.stream().filter(e -> received(e, "one")).count()).isEqualTo(1);
      assertThat(events.stream().filter(e -> received(e, "two")).count()).isEqualTo(1);
      assertThat(alice.history("bob@example.org", 10))
          .extracting(e -> e.text())
          .containsExactly("one", "two");
    }
  }

  private static boolean received(ClientEvent e, String text) {
    return e instanceof ClientEvent.MessageReceived r && r.entry().text().equals(text);
  }

  static void await(List<ClientEvent> events, Predicate<ClientEvent> what) {
    awaitCount(events, what, 1);
  }

  static void awaitCount(List<ClientEvent> events, Predicate<ClientEvent> what, long count) {
    awaitTrue(
        () -> events.stream().filter(what).count() >= count, () -> "events so far: " + events);
  }

  static void awaitTrue(java.util.function.BooleanSupplier condition) {
    awaitTrue(condition, () -> "");
  }

  static void awaitTrue(
      java.util.function.BooleanSupplier condition, java.util.function.Supplier<String> context) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + WAIT + ". " + context.get());
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted");
      }
    }
  }
}
