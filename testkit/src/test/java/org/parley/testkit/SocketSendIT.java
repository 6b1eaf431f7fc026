package org.parley.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.testkit.ListenerReconnectIT.await;
import static org.parley.testkit.ListenerReconnectIT.awaitCount;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.ClientEvent;
import org.parley.client.MessageListener;
import org.parley.client.ParleyClient;

/**
 * Issue 9: a client whose listener holds the device's WebSocket open sends over it (protocol
 * version 2, docs/spec/websocket.md) instead of making an HTTP request per send; a socket that
 * drops, even between a send and its answer, loses nothing and shows nothing twice to the person.
 * The client talks to the server through a TCP proxy that counts its HTTP requests and cuts its
 * sockets.
 */
class SocketSendIT {
  @TempDir Path dir;

  @Test
  void aListeningClientSendsOverItsSocketAndSurvivesDrops() throws Exception {
    try (ServerProcess server = ServerProcess.start(Backend.SQLITE, dir.resolve("server"));
        CuttingProxy proxy = new CuttingProxy(server.uri());
        People people = new People(server, dir.resolve("clients"))) {
      ParleyClient bob = people.register("bob");
      ParleyClient alice = people.open("alice-1");
      alice.register(proxy.uri(), "alice@" + ServerProcess.DOMAIN, "alice phone");
      String bobSend = "PUT /v1/messages/" + bob.identity().orElseThrow().accountId().value();
      alice.send("bob@example.org", "over http"); // not listening: HTTP
      assertThat(proxy.requests()).contains(bobSend);

      List<ClientEvent> events = new CopyOnWriteArrayList<>();
      try (MessageListener listener = alice.listen(events::add)) {
        awaitConnections(events, 1);
        int before = proxy.requests().size();
        assertThat(alice.send("bob@example.org", "one").recipientDevices()).isEqualTo(1);
        assertThat(alice.send("bob@example.org", "two").recipientDevices()).isEqualTo(1);
        assertThat(sends(proxy, before)).isEmpty(); // the listener's own KT checks are HTTP

        // dropped between sends: the next send goes over HTTP or the new socket, never lost
        proxy.cutSockets();
        assertThat(alice.send("bob@example.org", "three").sent()).isTrue();
        awaitConnections(events, 2);

        // dropped right after the send reached the server, before its answer: sent again over
        // HTTP; the server may hold it twice, the person sees it once
        proxy.cutAfterNextSocketWrite();
        assertThat(alice.send("bob@example.org", "four").sent()).isTrue();
        assertThat(proxy.cuts()).isEqualTo(1);
        awaitConnections(events, 3);
        before = proxy.requests().size();
        assertThat(alice.send("bob@example.org", "five").sent()).isTrue();
        assertThat(sends(proxy, before)).isEmpty();

        // bob's receipts come back to alice on her socket and are acknowledged there
        List<ClientEvent> bobs = bob.receive();
        assertThat(ForgedEnvelopeIT.texts(bobs))
            .containsExactly("over http", "one", "two", "three", "four", "five");
        await(events, e -> e instanceof ClientEvent.DeliveryConfirmed d);
        assertThat(listener.failure()).isEmpty();
      }
      assertThat(alice.history("bob@example.org", 10))
          .extracting(e -> e.text())
          .containsExactly("over http", "one", "two", "three", "four", "five");
    }
  }

  /** The HTTP sends the proxy carried after the first {@code from} requests. */
  private static List<String> sends(CuttingProxy proxy, int from) {
    List<String> all = proxy.requests();
    return all.subList(from, all.size()).stream()
        .filter(r -> r.startsWith("PUT /v1/messages/"))
        .toList();
  }

  private static void awaitConnections(List<ClientEvent> events, int count) {
    awaitCount(events, e -> e instanceof ClientEvent.ConnectionChanged c && c.connected(), count);
  }
}
