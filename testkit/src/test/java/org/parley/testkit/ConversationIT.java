package org.parley.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.ClientEvent;
import org.parley.client.HistoryEntry;
import org.parley.client.HistoryEntry.Direction;
import org.parley.client.ParleyClient;
import org.parley.client.SendResult;

/**
 * Two accounts with two devices each talk both ways through a real server process: every device
 * sees the whole conversation, delivery receipts come back, and a third account sees nothing.
 */
class ConversationIT {
  @RegisterExtension final Servers servers = new Servers();

  @TempDir Path dir;

  @AllBackends
  void twoAccountsTwoDevicesEachSeeTheWholeConversation(Backend backend) throws Exception {
    ServerProcess server = servers.start(backend);
    try (People people = new People(server, dir.resolve("clients"))) {
      ParleyClient alice1 = people.register("alice");
      ParleyClient alice2 = people.link(alice1, "alice-2");
      ParleyClient bob1 = people.register("bob");
      ParleyClient bob2 = people.link(bob1, "bob-2");
      ParleyClient carol = people.register("carol");
      String hello = "hello bob " + UUID.randomUUID();
      String reply = "hi alice " + UUID.randomUUID();

      SendResult sent = alice1.send("bob@example.org", hello);
      assertThat(sent.recipientDevices()).isEqualTo(2);
      assertThat(sent.ownDevices()).isEqualTo(1);

      assertThat(texts(bob1.receive(), ClientEvent.MessageReceived.class)).containsExactly(hello);
      assertThat(texts(bob2.receive(), ClientEvent.MessageReceived.class)).containsExactly(hello);
      assertThat(texts(alice2.receive(), ClientEvent.SentCopyReceived.class))
          .containsExactly(hello);

      // both of bob's devices sent an end-to-end encrypted receipt back
      List<ClientEvent> receipts = alice1.receive();
      assertThat(receipts).filteredOn(e -> e instanceof ClientEvent.DeliveryConfirmed).hasSize(2);
      HistoryEntry mine = alice1.history("bob@example.org", 10).get(0);
      assertThat(mine.delivery())
          .hasValueSatisfying(
              d -> {
                assertThat(d.delivered()).isEqualTo(2);
                assertThat(d.recipientDevices()).contains(2);
              });

      SendResult answered = bob2.send("alice@example.org", reply);
      assertThat(answered.recipientDevices()).isEqualTo(2);
      assertThat(texts(alice1.receive(), ClientEvent.MessageReceived.class)).containsExactly(reply);
      assertThat(texts(alice2.receive(), ClientEvent.MessageReceived.class)).containsExactly(reply);
      assertThat(texts(bob1.receive(), ClientEvent.SentCopyReceived.class)).containsExactly(reply);

      for (ParleyClient alice : List.of(alice1, alice2)) {
        assertThat(alice.history("bob@example.org", 10))
            .extracting(HistoryEntry::text, HistoryEntry::direction)
            .containsExactly(
                org.assertj.core.groups.Tuple.tuple(hello, Direction.OUT),
                org.assertj.core.groups.Tuple.tuple(reply, Direction.IN));
      }
      for (ParleyClient bob : List.of(bob1, bob2)) {
        assertThat(bob.history("alice@example.org", 10))
            .extracting(HistoryEntry::text, HistoryEntry::direction)
            .containsExactly(
                org.assertj.core.groups.Tuple.tuple(hello, Direction.IN),
                org.assertj.core.groups.Tuple.tuple(reply, Direction.OUT));
      }

      // the third account received nothing and has no trace of their conversation
      assertThat(carol.receive()).noneMatch(e -> e instanceof ClientEvent.MessageReceived);
      assertThat(carol.conversations()).isEmpty();
      assertThat(carol.history("alice@example.org", 10)).isEmpty();
      assertThat(carol.history("bob@example.org", 10)).isEmpty();
    }
  }

  @AllBackends
  void aThirdAccountCannotReadOrAcknowledgeTheirEnvelopes(Backend backend) {
    ServerProcess server = servers.start(backend);
    try (People people = new People(server, dir.resolve("clients"))) {
      ParleyClient alice = people.register("alice");
      ParleyClient bob = people.register("bob");
      people.register("carol");
      String text = "for bob only " + UUID.randomUUID();
      alice.send("bob@example.org", text);
      String bobAccount = bob.identity().orElseThrow().accountId().value();
      List<String> queued = DatabaseScan.envelopeIds(server, bobAccount);
      assertThat(queued).hasSize(1);

      RawApi carol = new RawApi(server.uri(), RawApi.credentialsOf(dir.resolve("clients/carol-1")));
      // her own queue holds nothing of theirs
      var fetched = carol.get("/v1/messages");
      assertThat(fetched.statusCode()).isEqualTo(200);
      assertThat(fetched.body()).contains("\"envelopes\":[]").doesNotContain(queued.get(0));
      // she cannot delete bob's envelope, even knowing its id
      var ack = carol.post("/v1/messages/ack", "{\"ids\":[\"" + queued.get(0) + "\"]}");
      assertThat(ack.statusCode()).isEqualTo(404);
      assertThat(ack.body()).contains("\"code\":\"unknown_envelope\"");
      // nor pass as bob's device with her own password
      var asBob =
          carol.post(
              "/v1/messages/ack",
              "{\"ids\":[\"" + queued.get(0) + "\"]}",
              new org.parley.protocol.account.Credentials(
                  org.parley.protocol.AccountId.of(bobAccount),
                  org.parley.protocol.DeviceId.of(1),
                  carol.credentials().password()));
      assertThat(asBob.statusCode()).isEqualTo(401);
      assertThat(asBob.body()).contains("\"code\":\"unauthorized\"");

      assertThat(DatabaseScan.envelopeIds(server, bobAccount)).isEqualTo(queued);
      assertThat(texts(bob.receive(), ClientEvent.MessageReceived.class)).containsExactly(text);
    }
  }

  static List<String> texts(List<ClientEvent> events, Class<? extends ClientEvent> kind) {
    return events.stream()
        .filter(kind::isInstance)
        .map(
            e ->
                switch (e) {
                  case ClientEvent.MessageReceived m -> m.entry().text();
                  case ClientEvent.SentCopyReceived c -> c.entry().text();
                  default -> throw new IllegalArgumentException(e.toString());
                })
        .toList();
  }
}
