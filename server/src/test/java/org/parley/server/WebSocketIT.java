package org.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.server.MessagesIT.fetch;
import static org.parley.server.MessagesIT.message;
import static org.parley.server.MessagesIT.send;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.protocol.account.Credentials;
import org.parley.protocol.ws.ClientFrame;

class WebSocketIT {
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void upgradeWithoutValidCredentialIsRefusedBeforeUpgrading() {
    TestDevice bob = server.register();
    var wrong = new Credentials(bob.accountId, bob.deviceId, TestDevice.randomPassword());
    assertThat(server.upgradeStatus(wrong)).isEqualTo(401);
  }

  @Test
  void drainsTheQueueThenPushesLiveThenAcks() throws Exception {
    TestDevice alice = server.register();
    TestDevice bob = server.register();
    for (int i = 0; i < 3; i++) {
      assertThat(send(server, alice, bob.accountId, message(bob, "queued " + i)).status())
          .isEqualTo(200);
    }
    try (WsClient ws = server.connect(bob.credentials())) {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        JsonNode envelope = ws.next("envelope").path("envelope");
        assertThat(decode(envelope)).isEqualTo("queued " + i);
        ids.add(envelope.path("id").asText());
      }
      ws.next("queue_empty");
      JsonNode low = ws.next("keys_low");
      assertThat(low.path("preKeys").asInt()).isEqualTo(2);

      send(server, alice, bob.accountId, message(bob, "live"));
      JsonNode live = ws.next("envelope").path("envelope");
      assertThat(decode(live)).isEqualTo("live");
      ids.add(live.path("id").asText());

      ws.sendJson(new ClientFrame.Ack(ids));
      JsonNode acked = ws.next("acked");
      assertThat(acked.path("ids")).hasSize(4);
      ws.assertQuiet(200);
    }
    assertThat(fetch(server, bob).envelopes()).isEmpty();
  }

  @Test
  void badFramesGetErrorFramesAndDeleteNothing() throws Exception {
    TestDevice alice = server.register();
    TestDevice bob = server.register();
    send(server, alice, bob.accountId, message(bob, "keep me"));
    try (WsClient ws = server.connect(bob.credentials())) {
      String id = ws.next("envelope").path("envelope").path("id").asText();
      ws.next("queue_empty");
      ws.next("keys_low");

      ws.sendJson(new ClientFrame.Ack(List.of(id, "unknown-id")));
      JsonNode error = ws.next("error");
      assertThat(error.path("code").asText()).isEqualTo("unknown_envelope");
      ws.send("{not json");
      assertThat(ws.next("error").path("code").asText()).isEqualTo("malformed_json");
      ws.send("{\"type\":\"dance\"}");
      assertThat(ws.next("error").path("code").asText()).isEqualTo("invalid_request");
      ws.send("{\"type\":\"ack\",\"ids\":[]}");
      assertThat(ws.next("error").path("code").asText()).isEqualTo("invalid_request");
      assertThat(fetch(server, bob).envelopes()).hasSize(1);
      // the connection still works
      ws.sendJson(new ClientFrame.Ack(List.of(id)));
      ws.next("acked");
    }
  }

  @Test
  void ackingAnotherDevicesEnvelopeOverTheSocketIsRefused() throws Exception {
    TestDevice alice = server.register();
    TestDevice bob = server.register();
    send(server, alice, bob.accountId, message(bob, "for bob"));
    String id = fetch(server, bob).envelopes().getFirst().id();
    try (WsClient ws = server.connect(alice.credentials())) {
      ws.next("queue_empty");
      ws.next("keys_low");
      ws.sendJson(new ClientFrame.Ack(List.of(id)));
      assertThat(ws.next("error").path("code").asText()).isEqualTo("unknown_envelope");
    }
    assertThat(fetch(server, bob).envelopes()).hasSize(1);
  }

  @Test
  void secondConnectionReplacesTheFirst() throws Exception {
    TestDevice bob = server.register();
    try (WsClient first = server.connect(bob.credentials())) {
      first.next("queue_empty");
      try (WsClient second = server.connect(bob.credentials())) {
        assertThat(first.awaitClose()).isEqualTo(4409);
        second.next("queue_empty");
      }
    }
  }

  @Test
  void everyEnvelopeSentWhileConnectingArrivesExactlyOnce() throws Exception {
    TestDevice alice = server.register();
    TestDevice bob = server.register();
    int total = 40;
    CompletableFuture<Void> sender =
        CompletableFuture.runAsync(
            () -> {
              for (int i = 0; i < total; i++) {
                assertThat(send(server, alice, bob.accountId, message(bob, "m" + i)).status())
                    .isEqualTo(200);
              }
            });
    Thread.sleep(20);
    try (WsClient ws = server.connect(bob.credentials())) {
      Set<String> seen = new HashSet<>();
      List<String> texts = new ArrayList<>();
      while (texts.size() < total) {
        JsonNode frame = ws.next();
        if (frame.path("type").asText().equals("envelope")) {
          assertThat(seen.add(frame.path("envelope").path("id").asText()))
              .as("no duplicates")
              .isTrue();
          texts.add(decode(frame.path("envelope")));
        }
      }
      sender.join();
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < total; i++) {
        expected.add("m" + i);
      }
      assertThat(texts).containsExactlyElementsOf(expected);
      JsonNode extra;
      while ((extra = pollQuiet(ws)) != null) {
        assertThat(extra.path("type").asText()).isIn("queue_empty", "keys_low");
      }
    }
  }

  @Test
  void largestEnvelopesArriveWhole() throws Exception {
    TestDevice alice = server.register();
    TestDevice bob = server.register();
    byte[] content = new byte[org.parley.protocol.message.OutgoingMessage.MAX_CONTENT];
    new java.util.Random(7).nextBytes(content);
    var big =
        new org.parley.protocol.message.OutgoingMessage(
            bob.deviceId,
            bob.crypto.registrationId(),
            org.parley.protocol.message.EnvelopeType.PREKEY_MESSAGE,
            content);
    assertThat(send(server, alice, bob.accountId, big).status()).isEqualTo(200);
    try (WsClient ws = server.connect(bob.credentials())) {
      JsonNode envelope = ws.next("envelope").path("envelope");
      assertThat(envelope.path("type").asText()).isEqualTo("prekey_message");
      assertThat(org.parley.protocol.Json.fromBase64Url(envelope.path("content").asText()))
          .isEqualTo(content);
      ws.next("queue_empty");
    }
  }

  @Test
  void keysLowIsPushedWhenAFetchLeavesTheDeviceLow() throws Exception {
    TestDevice alice = server.register();
    TestDevice bob = server.register(10, 10);
    try (WsClient ws = server.connect(bob.credentials())) {
      ws.next("queue_empty");
      ws.assertQuiet(200); // 10 of each is not low
      assertThat(server.get("/v1/keys/" + bob.accountId + "/1", alice.credentials()).status())
          .isEqualTo(200);
      JsonNode low = ws.next("keys_low");
      assertThat(low.path("preKeys").asInt()).isEqualTo(9);
      assertThat(low.path("kyberPreKeys").asInt()).isEqualTo(9);
    }
  }

  private static JsonNode pollQuiet(WsClient ws) throws Exception {
    String frame = ws.frames.poll(200, java.util.concurrent.TimeUnit.MILLISECONDS);
    return frame == null ? null : org.parley.protocol.Json.mapper().readTree(frame);
  }

  static String decode(JsonNode envelope) {
    return new String(org.parley.protocol.Json.fromBase64Url(envelope.path("content").asText()));
  }
}
