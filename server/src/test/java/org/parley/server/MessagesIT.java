package org.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.message.AckRequest;
import org.parley.protocol.message.Envelope;
import org.parley.protocol.message.EnvelopeBatch;
import org.parley.protocol.message.EnvelopeType;
import org.parley.protocol.message.OutgoingMessage;
import org.parley.protocol.message.SendRequest;
import org.parley.protocol.message.SendResponse;

class MessagesIT {
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static OutgoingMessage message(TestDevice to, String text) {
    return new OutgoingMessage(
        to.deviceId, to.crypto.registrationId(), EnvelopeType.MESSAGE, text.getBytes());
  }

  static Response send(
      TestServer server, TestDevice from, AccountId to, OutgoingMessage... messages) {
    return server.put(
        "/v1/messages/" + to,
        new SendRequest(List.of(messages), 1_700_000_000_000L),
        from.credentials());
  }

  static EnvelopeBatch fetch(TestServer server, TestDevice device) {
    Response r = server.get("/v1/messages", device.credentials());
    assertThat(r.status()).isEqualTo(200);
    return r.as(EnvelopeBatch.class);
  }

  @Test
  void sendFetchAck() {
    TestDevice alice = server.register();
    TestDevice bob = server.register();
    Response sent = send(server, alice, bob.accountId, message(bob, "hello"));
    assertThat(sent.status()).as(sent.body()).isEqualTo(200);
    assertThat(sent.as(SendResponse.class).devices()).isEqualTo(1);

    EnvelopeBatch batch = fetch(server, bob);
    assertThat(batch.more()).isFalse();
    Envelope e = batch.envelopes().getFirst();
    assertThat(e.sourceAccountId()).isEqualTo(alice.accountId);
    assertThat(e.sourceDeviceId()).isEqualTo(DeviceId.of(1));
    assertThat(e.sourceHandle().value()).endsWith("@" + TestServer.DOMAIN);
    assertThat(e.timestamp()).isEqualTo(1_700_000_000_000L);
    assertThat(e.serverTimestamp()).isEqualTo(sent.as(SendResponse.class).serverTimestamp());
    assertThat(e.type()).isEqualTo(EnvelopeType.MESSAGE);
    assertThat(new String(e.content())).isEqualTo("hello");
    // reading does not remove
    assertThat(fetch(server, bob).envelopes()).hasSize(1);

    Response ack =
        server.post("/v1/messages/ack", new AckRequest(List.of(e.id())), bob.credentials());
    assertThat(ack.status()).isEqualTo(204);
    assertThat(fetch(server, bob).envelopes()).isEmpty();
    Response again =
        server.post("/v1/messages/ack", new AckRequest(List.of(e.id())), bob.credentials());
    assertThat(again.status()).isEqualTo(404);
    assertThat(again.code()).isEqualTo("unknown_envelope");
  }

  @Test
  void staleDeviceListsAreRefusedWithExactListsAndNothingStored() {
    TestDevice alice = server.register();
    TestDevice bob = server.register();
    TestDevice bob2 = server.link(bob);
    var staleOne =
        new OutgoingMessage(
            bob.deviceId,
            bob.crypto.registrationId() % 16380 + 1,
            EnvelopeType.MESSAGE,
            new byte[] {1});
    var extra = new OutgoingMessage(DeviceId.of(7), 42, EnvelopeType.MESSAGE, new byte[] {2});
    Response r = send(server, alice, bob.accountId, staleOne, extra);

    assertThat(r.status()).isEqualTo(409);
    assertThat(r.code()).isEqualTo("stale_devices");
    assertThat(r.json().path("missingDevices").toString()).isEqualTo("[" + bob2.deviceId + "]");
    assertThat(r.json().path("extraDevices").toString()).isEqualTo("[7]");
    assertThat(r.json().path("staleDevices").toString()).isEqualTo("[1]");
    assertThat(fetch(server, bob).envelopes()).isEmpty();
    assertThat(fetch(server, bob2).envelopes()).isEmpty();

    Response ok = send(server, alice, bob.accountId, message(bob, "a"), message(bob2, "b"));
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.as(SendResponse.class).devices()).isEqualTo(2);
  }

  @Test
  void aWithheldDeviceIsNotMissingButStillCountsWhenNotWithheld() {
    TestDevice alice = server.register();
    TestDevice bob = server.register();
    TestDevice bob2 = server.link(bob);
    // the sender refuses device 2 on purpose (its key-transparency checks failed)
    Response withheld =
        server.put(
            "/v1/messages/" + bob.accountId,
            new SendRequest(
                List.of(message(bob, "only to one")), 1_700_000_000_000L, List.of(bob2.deviceId)),
            alice.credentials());
    assertThat(withheld.status()).as(withheld.body()).isEqualTo(200);
    assertThat(withheld.as(SendResponse.class).devices()).isEqualTo(1);
    assertThat(fetch(server, bob).envelopes()).hasSize(1);
    assertThat(fetch(server, bob2).envelopes()).isEmpty();
    // without naming it, the same send is stale; a withheld id the account lacks changes nothing
    assertThat(send(server, alice, bob.accountId, message(bob, "x")).code())
        .isEqualTo("stale_devices");
    Response unknownWithheld =
        server.put(
            "/v1/messages/" + bob.accountId,
            new SendRequest(
                List.of(message(bob, "y")), 1_700_000_000_000L, List.of(DeviceId.of(99))),
            alice.credentials());
    assertThat(unknownWithheld.code()).isEqualTo("stale_devices");
    // a device both addressed and withheld is a bad request, and nothing is stored
    Response both =
        server.put(
            "/v1/messages/" + bob.accountId,
            "{\"messages\":[{\"deviceId\":1,\"registrationId\":"
                + bob.crypto.registrationId()
                + ",\"type\":\"message\",\"content\":\"AQ\"}],\"timestamp\":1,"
                + "\"withheldDevices\":[1,2]}",
            alice.credentials());
    assertThat(both.status()).isEqualTo(400);
    assertThat(both.code()).isEqualTo("invalid_request");
    assertThat(fetch(server, bob).envelopes()).hasSize(1);
  }

  @Test
  void sendingToOwnAccountSkipsTheSender() {
    TestDevice alice = server.register();
    TestDevice alice2 = server.link(alice);
    Response r = send(server, alice, alice.accountId, message(alice2, "sync"));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(fetch(server, alice2).envelopes()).hasSize(1);
    assertThat(fetch(server, alice).envelopes()).isEmpty();
  }

  @Test
  void ackOfAnotherDevicesEnvelopeDeletesNothing() {
    TestDevice alice = server.register();
    TestDevice bob = server.register();
    send(server, alice, bob.accountId, message(bob, "for bob"));
    String id = fetch(server, bob).envelopes().getFirst().id();

    Response r = server.post("/v1/messages/ack", new AckRequest(List.of(id)), alice.credentials());
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.code()).isEqualTo("unknown_envelope");
    // all or nothing: one unknown id keeps the known one
    Response mixed =
        server.post(
            "/v1/messages/ack", new AckRequest(List.of(id, "no-such-id")), bob.credentials());
    assertThat(mixed.status()).isEqualTo(404);
    assertThat(mixed.code()).isEqualTo("unknown_envelope");
    assertThat(fetch(server, bob).envelopes()).extracting(Envelope::id).containsExactly(id);
  }

  @Test
  void errorsOnSend() {
    TestDevice alice = server.register();
    TestDevice bob = server.register();
    Response unknown = send(server, alice, AccountId.random(), message(bob, "x"));
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.code()).isEqualTo("unknown_account");
    Response noAuth =
        server.put(
            "/v1/messages/" + bob.accountId, new SendRequest(List.of(message(bob, "x")), 1L), null);
    assertThat(noAuth.status()).isEqualTo(401);
    Response badType =
        server.put(
            "/v1/messages/" + bob.accountId,
            "{\"messages\":[{\"deviceId\":1,\"registrationId\":1,\"type\":\"bogus\",\"content\":\"AA\"}],\"timestamp\":1}",
            alice.credentials());
    assertThat(badType.status()).isEqualTo(400);
    assertThat(badType.code()).isEqualTo("invalid_request");
    assertThat(fetch(server, bob).envelopes()).isEmpty();
  }

  @Test
  void fetchPagesWithLimit() {
    TestDevice alice = server.register();
    TestDevice bob = server.register();
    send(server, alice, bob.accountId, message(bob, "1"));
    send(server, alice, bob.accountId, message(bob, "2"));
    EnvelopeBatch first =
        server.get("/v1/messages?limit=1", bob.credentials()).as(EnvelopeBatch.class);
    assertThat(first.more()).isTrue();
    assertThat(new String(first.envelopes().getFirst().content())).isEqualTo("1");
    for (String bad : List.of("0", "501", "x", "%2B1", "01", "%D9%A1", "1.0")) {
      Response r = server.get("/v1/messages?limit=" + bad, bob.credentials());
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.code()).isEqualTo("invalid_request");
    }
  }
}
