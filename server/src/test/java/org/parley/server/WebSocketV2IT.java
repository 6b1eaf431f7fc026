package org.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.parley.server.MessagesIT.fetch;
import static org.parley.server.MessagesIT.message;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.protocol.AccountId;
import org.parley.protocol.message.Envelope;
import org.parley.protocol.message.EnvelopeType;
import org.parley.protocol.message.OutgoingMessage;
import org.parley.protocol.message.SendRequest;
import org.parley.protocol.ws.BinaryFrame;
import org.parley.protocol.ws.BinaryFrames;

/**
 * WebSocket protocol version 2 (docs/spec/websocket.md) against a real server: negotiation, sends
 * and acknowledgements as pipelined requests, refusals that name their request and store nothing,
 * and delivery between devices on either version.
 */
class WebSocketV2IT {
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
  void theServerChoosesTheNewestOfferedVersionAndRefusesUnknownOnes() throws Exception {
    TestDevice bob = server.register();
    try (BinaryWsClient ws =
        BinaryWsClient.connect(server, bob.credentials(), "parley.1, parley.2")) {
      assertThat(ws.chosen()).contains("parley.2");
      ws.next(BinaryFrame.QueueEmpty.class);
    }
    try (BinaryWsClient ws = BinaryWsClient.connect(server, bob.credentials(), "parley.1")) {
      assertThat(ws.chosen()).contains("parley.1");
    }
    assertThatThrownBy(() -> BinaryWsClient.connect(server, bob.credentials(), "chat.9"))
        .isInstanceOf(CompletionException.class)
        .rootCause()
        .hasMessageContaining("400");
  }

  @Test
  void pipelinedSendsAreEachAnsweredOnceAndArriveInOrder() throws Exception {
    int count = 600; // more than the 256 a socket may have outstanding: the rest wait, none is lost
    try (TestServer server =
            TestServer.start(
                c ->
                    c.withLimit("sends-per-pair-per-minute", count)
                        .withLimit("sends-per-sender-per-minute", count));
        var people = new Pair(server);
        BinaryWsClient receiver =
            BinaryWsClient.connect(server, people.bob.credentials(), "parley.2");
        BinaryWsClient sender =
            BinaryWsClient.connect(server, people.alice.credentials(), "parley.2")) {
      TestDevice alice = people.alice;
      TestDevice bob = people.bob;
      receiver.next(BinaryFrame.QueueEmpty.class);
      sender.next(BinaryFrame.QueueEmpty.class);
      for (int i = 0; i < count; i++) {
        sender.send(new BinaryFrame.Send(i, bob.accountId, request(message(bob, "m" + i))));
      }
      Set<Long> answered = new HashSet<>();
      while (answered.size() < count) {
        BinaryFrame frame = sender.next();
        if (frame instanceof BinaryFrame.Sent sent) {
          assertThat(answered.add(sent.requestId())).as("answered once").isTrue();
          assertThat(sent.stored()).isEqualTo(1);
        } else {
          assertThat(frame).isInstanceOf(BinaryFrame.KeysLow.class);
        }
      }
      List<Envelope> received = new ArrayList<>();
      while (received.size() < count) {
        BinaryFrame frame = receiver.next();
        if (frame instanceof BinaryFrame.Envelopes envelopes) {
          assertThat(envelopes.envelopes()).hasSizeLessThanOrEqualTo(64);
          received.addAll(envelopes.envelopes());
        }
      }
      for (int i = 0; i < count; i++) {
        Envelope e = received.get(i);
        assertThat(new String(e.content(), StandardCharsets.UTF_8)).isEqualTo("m" + i);
        assertThat(e.sourceAccountId()).isEqualTo(alice.accountId);
        assertThat(e.sourceDeviceId()).isEqualTo(alice.deviceId);
      }
      for (int from = 0; from < count; from += 500) {
        List<String> ids =
            received.subList(from, Math.min(count, from + 500)).stream().map(Envelope::id).toList();
        receiver.send(new BinaryFrame.Ack(10_000 + from, ids));
      }
      int acked = 0;
      while (acked < (count + 499) / 500) {
        if (receiver.next() instanceof BinaryFrame.Acked a) {
          assertThat(a.requestId()).isBetween(10_000L, 10_000L + count);
          acked++;
        }
      }
      receiver.assertQuiet(200);
      assertThat(fetch(server, bob).envelopes()).isEmpty();
    }
  }

  /** Two registered devices of a server, for a try-with-resources header. */
  private static final class Pair implements AutoCloseable {
    final TestDevice alice;
    final TestDevice bob;

    Pair(TestServer server) {
      alice = server.register();
      bob = server.register();
    }

    @Override
    public void close() {}
  }

  @Test
  void refusalsNameTheirRequestAndStoreNothing() throws Exception {
    TestDevice alice = server.register();
    TestDevice bob = server.register();
    try (BinaryWsClient ws = BinaryWsClient.connect(server, alice.credentials(), "parley.2")) {
      ws.next(BinaryFrame.QueueEmpty.class);
      OutgoingMessage wrongRegistration =
          new OutgoingMessage(
              bob.deviceId,
              bob.crypto.registrationId() % 16380 + 1,
              EnvelopeType.MESSAGE,
              new byte[] {1});
      ws.send(new BinaryFrame.Send(1, bob.accountId, request(wrongRegistration)));
      BinaryFrame.Refused stale = nextRefusal(ws);
      assertThat(stale.requestId()).isEqualTo(1L);
      assertThat(stale.status()).isEqualTo(409);
      assertThat(stale.error().code()).isEqualTo("stale_devices");
      assertThat(stale.error().staleDevices()).containsExactly(bob.deviceId.value());
      assertThat(stale.error().missingDevices()).isEmpty();

      ws.send(new BinaryFrame.Send(2, AccountId.random(), request(message(bob, "nobody"))));
      BinaryFrame.Refused unknown = nextRefusal(ws);
      assertThat(unknown.requestId()).isEqualTo(2L);
      assertThat(unknown.status()).isEqualTo(404);
      assertThat(unknown.error().code()).isEqualTo("unknown_account");

      ws.send(new BinaryFrame.Ack(3, List.of("no-such-envelope")));
      BinaryFrame.Refused ack = nextRefusal(ws);
      assertThat(ack.requestId()).isEqualTo(3L);
      assertThat(ack.error().code()).isEqualTo("unknown_envelope");

      ws.sendRaw(new byte[] {(byte) 0xff});
      BinaryFrame.Refused garbage = nextRefusal(ws);
      assertThat(garbage.requestId()).isNull();
      assertThat(garbage.status()).isEqualTo(400);
      assertThat(garbage.error().code()).isEqualTo("invalid_request");

      byte[] send =
          BinaryFrames.encode(new BinaryFrame.Send(4, bob.accountId, request(message(bob, "cut"))));
      ws.sendRaw(java.util.Arrays.copyOf(send, send.length - 1));
      BinaryFrame.Refused truncated = nextRefusal(ws);
      assertThat(truncated.requestId()).isEqualTo(4L);
      assertThat(truncated.error().code()).isEqualTo("invalid_request");

      ws.send(new BinaryFrame.QueueEmpty()); // a push, not a request
      assertThat(nextRefusal(ws).status()).isEqualTo(400);
    }
    assertThat(fetch(server, bob).envelopes()).isEmpty();
  }

  @Test
  void aTextFrameClosesAVersion2Socket() throws Exception {
    TestDevice bob = server.register();
    try (BinaryWsClient ws = BinaryWsClient.connect(server, bob.credentials(), "parley.2")) {
      ws.next(BinaryFrame.QueueEmpty.class);
      ws.socket.sendText("{\"type\":\"ack\",\"ids\":[\"x\"]}", true).join();
      assertThat(ws.awaitClose()).isEqualTo(1003);
    }
  }

  @Test
  void devicesOnEitherVersionReceiveWhatTheOtherSends() throws Exception {
    TestDevice alice = server.register();
    TestDevice bob = server.register();
    try (WsClient bobV1 = server.connect(bob.credentials());
        BinaryWsClient aliceV2 = BinaryWsClient.connect(server, alice.credentials(), "parley.2")) {
      bobV1.next("queue_empty");
      aliceV2.next(BinaryFrame.QueueEmpty.class);
      aliceV2.send(new BinaryFrame.Send(5, bob.accountId, request(message(bob, "to v1"))));
      assertThat(nextNonKeys(aliceV2)).isInstanceOf(BinaryFrame.Sent.class);
      var frame = bobV1.next();
      if (frame.path("type").asText().equals("keys_low")) {
        frame = bobV1.next();
      }
      assertThat(frame.path("type").asText()).isEqualTo("envelope");
      var envelope = frame.path("envelope");
      assertThat(envelope.path("sourceAccountId").asText()).isEqualTo(alice.accountId.value());

      MessagesIT.send(server, bob, alice.accountId, message(alice, "to v2 over http"));
      BinaryFrame.Envelopes pushed = (BinaryFrame.Envelopes) nextNonKeys(aliceV2);
      assertThat(new String(pushed.envelopes().getFirst().content(), StandardCharsets.UTF_8))
          .isEqualTo("to v2 over http");
    }
  }

  @Test
  void socketSendsCountAgainstTheSameRateLimits() throws Exception {
    try (TestServer limited = TestServer.start(c -> c.withLimit("sends-per-pair-per-minute", 2))) {
      TestDevice alice = limited.register();
      TestDevice bob = limited.register();
      try (BinaryWsClient ws = BinaryWsClient.connect(limited, alice.credentials(), "parley.2")) {
        ws.next(BinaryFrame.QueueEmpty.class);
        for (int i = 0; i < 3; i++) {
          ws.send(new BinaryFrame.Send(i, bob.accountId, request(message(bob, "r" + i))));
        }
        int sent = 0;
        BinaryFrame.Refused refused = null;
        while (sent + (refused == null ? 0 : 1) < 3) {
          BinaryFrame frame = nextNonKeys(ws);
          if (frame instanceof BinaryFrame.Sent) {
            sent++;
          } else {
            refused = (BinaryFrame.Refused) frame;
          }
        }
        assertThat(sent).isEqualTo(2);
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.error().code()).isEqualTo("rate_limited");
        assertThat(refused.retryAfterSeconds()).isPositive();
      }
      assertThat(fetch(limited, bob).envelopes()).hasSize(2);
    }
  }

  private static SendRequest request(OutgoingMessage message) {
    return new SendRequest(List.of(message), 1_700_000_000_000L);
  }

  private static BinaryFrame nextNonKeys(BinaryWsClient ws) throws Exception {
    BinaryFrame frame = ws.next();
    return frame instanceof BinaryFrame.KeysLow ? ws.next() : frame;
  }

  private static BinaryFrame.Refused nextRefusal(BinaryWsClient ws) throws Exception {
    BinaryFrame frame = nextNonKeys(ws);
    assertThat(frame).isInstanceOf(BinaryFrame.Refused.class);
    return (BinaryFrame.Refused) frame;
  }
}
