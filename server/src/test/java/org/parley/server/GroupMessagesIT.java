package org.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.message.Envelope;
import org.parley.protocol.message.EnvelopeType;
import org.parley.protocol.message.GroupRecipient;
import org.parley.protocol.message.GroupSendRequest;
import org.parley.protocol.message.GroupSendResponse;
import org.parley.protocol.message.RecipientDevice;

/**
 * POST /v1/messages/group: one upload, the same ciphertext queued for every listed device of every
 * recipient account, each account's list checked on its own (docs/spec/api.md, "Group messages").
 */
class GroupMessagesIT {
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static GroupRecipient to(TestDevice... devices) {
    return new GroupRecipient(
        devices[0].accountId,
        java.util.Arrays.stream(devices)
            .map(d -> new RecipientDevice(d.deviceId, d.crypto.registrationId()))
            .toList(),
        List.of());
  }

  private static Response send(TestDevice from, GroupRecipient... recipients) {
    return server.post(
        "/v1/messages/group",
        new GroupSendRequest(
            List.of(recipients), EnvelopeType.SENDER_KEY_MESSAGE, new byte[] {7, 7, 7}, 1_700L),
        from.credentials());
  }

  @Test
  void oneUploadReachesEveryDeviceOfEveryAccountAndTheSendersOtherDevices() {
    TestDevice alice = server.register();
    TestDevice alice2 = server.link(alice);
    TestDevice bob = server.register();
    TestDevice bob2 = server.link(bob);
    TestDevice carol = server.register();

    Response r = send(alice, to(bob, bob2), to(carol), to(alice2));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    GroupSendResponse answer = r.as(GroupSendResponse.class);
    assertThat(answer.devices()).isEqualTo(4);
    assertThat(answer.refused()).isEmpty();
    for (TestDevice d : List.of(bob, bob2, carol, alice2)) {
      Envelope e = MessagesIT.fetch(server, d).envelopes().getFirst();
      assertThat(e.type()).isEqualTo(EnvelopeType.SENDER_KEY_MESSAGE);
      assertThat(e.content()).containsExactly(7, 7, 7);
      assertThat(e.sourceAccountId()).isEqualTo(alice.accountId);
      assertThat(e.sourceDeviceId()).isEqualTo(alice.deviceId);
      assertThat(e.serverTimestamp()).isEqualTo(answer.serverTimestamp());
    }
    assertThat(MessagesIT.fetch(server, alice).envelopes()).isEmpty();
  }

  @Test
  void aStaleOrUnknownAccountIsNamedAndGetsNothingWhileTheOthersAreQueued() {
    TestDevice alice = server.register();
    TestDevice bob = server.register();
    TestDevice bob2 = server.link(bob);
    TestDevice carol = server.register();
    AccountId nobody = AccountId.random();

    Response r =
        send(
            alice,
            to(bob), // bob2 missing
            to(carol),
            new GroupRecipient(nobody, List.of(new RecipientDevice(DeviceId.of(1), 1)), List.of()));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    GroupSendResponse answer = r.as(GroupSendResponse.class);
    assertThat(answer.devices()).isEqualTo(1);
    assertThat(answer.refused())
        .extracting(x -> x.accountId(), x -> x.code().wireName(), x -> x.missingDevices())
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(
                bob.accountId, "stale_devices", List.of(bob2.deviceId.value())),
            org.assertj.core.groups.Tuple.tuple(nobody, "unknown_account", List.of()));
    assertThat(MessagesIT.fetch(server, bob).envelopes()).isEmpty();
    assertThat(MessagesIT.fetch(server, bob2).envelopes()).isEmpty();
    assertThat(MessagesIT.fetch(server, carol).envelopes()).hasSize(1);
  }

  @Test
  void badUploadsAreRefusedWholeWithAClearError() {
    TestDevice alice = server.register();
    TestDevice bob = server.register();
    String device =
        "{\"deviceId\":"
            + bob.deviceId
            + ",\"registrationId\":"
            + bob.crypto.registrationId()
            + "}";
    String recipient = "{\"accountId\":\"" + bob.accountId + "\",\"devices\":[" + device + "]}";
    for (String body :
        List.of(
            // a pairwise type: not the same bytes for every device
            "{\"recipients\":["
                + recipient
                + "],\"type\":\"message\",\"content\":\"AA\",\"timestamp\":1}",
            // an account twice
            "{\"recipients\":["
                + recipient
                + ","
                + recipient
                + "],\"type\":\"sender_key_message\",\"content\":\"AA\",\"timestamp\":1}",
            // nobody
            "{\"recipients\":[],\"type\":\"sender_key_message\",\"content\":\"AA\",\"timestamp\":1}",
            // no content
            "{\"recipients\":["
                + recipient
                + "],\"type\":\"sender_key_message\",\"timestamp\":1}")) {
      Response r = server.post("/v1/messages/group", body, alice.credentials());
      assertThat(r.status()).as(body + " -> " + r.body()).isEqualTo(400);
      assertThat(r.code()).isEqualTo("invalid_request");
    }
    assertThat(server.post("/v1/messages/group", "{}", null).status()).isEqualTo(401);
    assertThat(MessagesIT.fetch(server, bob).envelopes()).isEmpty();
  }

  @Test
  void aGroupUploadSpendsOneSendOfTheSenderAndOneOfEachPairItNames() {
    try (TestServer limited =
        TestServer.start(
            c ->
                c.withLimits(
                    org.parley.server.http.RateLimits.defaults()
                        .with("sends-per-sender-per-minute", 3)
                        .with("sends-per-pair-per-minute", 2)))) {
      TestDevice alice = limited.register();
      TestDevice bob = limited.register();
      TestDevice carol = limited.register();
      GroupSendRequest toBoth =
          new GroupSendRequest(
              List.of(to(bob), to(carol)), EnvelopeType.SENDER_KEY_MESSAGE, new byte[] {1}, 1L);
      GroupSendRequest toCarol =
          new GroupSendRequest(
              List.of(to(carol)), EnvelopeType.SENDER_KEY_MESSAGE, new byte[] {1}, 1L);
      assertThat(limited.post("/v1/messages/group", toBoth, alice.credentials()).status())
          .isEqualTo(200);
      assertThat(limited.post("/v1/messages/group", toBoth, alice.credentials()).status())
          .isEqualTo(200);
      // the pair (alice, carol) is spent; the sender has one send left, which this uses up
      Response pair = limited.post("/v1/messages/group", toCarol, alice.credentials());
      assertThat(pair.status()).isEqualTo(429);
      assertThat(pair.code()).isEqualTo("rate_limited");
      assertThat(pair.headers().firstValue("Retry-After")).isPresent();
      assertThat(MessagesIT.fetch(limited, carol).envelopes()).hasSize(2);
    }
  }
}
