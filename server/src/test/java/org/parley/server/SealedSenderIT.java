package org.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.crypto.SealedSender;
import org.parley.protocol.AccountId;
import org.parley.protocol.message.Envelope;
import org.parley.protocol.message.EnvelopeType;
import org.parley.protocol.message.SendResponse;
import org.parley.protocol.sealed.DeliveryCredential;
import org.parley.protocol.sealed.SealedMessage;
import org.parley.protocol.sealed.SealedSendRequest;
import org.parley.protocol.sealed.SenderCertificateResponse;
import org.parley.protocol.sealed.TrustRootResponse;

/**
 * Sealed sender on the server (docs/spec/sealed-sender.md): certificates under the trust root, the
 * delivery credential as the only admission of an unauthenticated send, envelopes that name no
 * sender, and the same refusal for a wrong credential, an unknown device and an unknown account.
 */
class SealedSenderIT {
  private static final SecureRandom RANDOM = new SecureRandom();
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static byte[] credential(TestDevice device) {
    byte[] credential = new byte[DeliveryCredential.LENGTH];
    RANDOM.nextBytes(credential);
    Response r =
        server.put(
            "/v1/devices/me/delivery-credential",
            new DeliveryCredential(credential),
            device.credentials());
    assertThat(r.status()).as(r.body()).isEqualTo(204);
    return credential;
  }

  private static Response sealed(AccountId to, SealedMessage... messages) {
    return server.put(
        "/v1/messages/" + to + "/sealed",
        new SealedSendRequest(List.of(messages), 1_700_000_000_000L),
        null);
  }

  private static SealedMessage message(TestDevice to, byte[] credential, byte[] content) {
    return new SealedMessage(to.deviceId, to.crypto.registrationId(), credential, content);
  }

  @Test
  void aCertificateNamesTheCallingDeviceUnderTheTrustRoot() throws Exception {
    TestDevice alice = server.register();
    TestDevice bob = server.register();
    byte[] root =
        server.get("/v1/certificate/trust-root", null).as(TrustRootResponse.class).trustRoot();
    Response r = server.get("/v1/certificate/sender", alice.credentials());
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    SenderCertificateResponse certificate = r.as(SenderCertificateResponse.class);
    assertThat(server.get("/v1/certificate/sender", null).code()).isEqualTo("unauthorized");

    // alice seals a message to bob with it; bob reads her device and key from it
    alice.startSessionWith(server, bob);
    byte[] envelope =
        alice
            .crypto
            .sealedSender()
            .encrypt(alice.address(), bob.address(), certificate.certificate(), new byte[] {1});
    SealedSender.Sender sender =
        bob.crypto
            .sealedSender()
            .open(bob.address(), root, envelope, System.currentTimeMillis())
            .sender();
    assertThat(sender.address()).isEqualTo(alice.address());
    assertThat(sender.key()).isEqualTo(alice.crypto.identityKey());
    assertThat(sender.expires()).isEqualTo(certificate.expires());
  }

  @Test
  void aSealedSendWithTheCredentialIsQueuedNamingNoSender() {
    TestDevice bob = server.register();
    TestDevice bob2 = server.link(bob);
    byte[] c1 = credential(bob);
    byte[] c2 = credential(bob2);

    Response r =
        sealed(bob.accountId, message(bob, c1, new byte[] {5}), message(bob2, c2, new byte[] {6}));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.as(SendResponse.class).devices()).isEqualTo(2);
    Envelope e = MessagesIT.fetch(server, bob2).envelopes().getFirst();
    assertThat(e.type()).isEqualTo(EnvelopeType.SEALED_SENDER);
    assertThat(e.sourceAccountId()).isNull();
    assertThat(e.sourceHandle()).isNull();
    assertThat(e.sourceDeviceId()).isNull();
    assertThat(e.content()).containsExactly(6);
    assertThat(r.body()).doesNotContain("source");
  }

  @Test
  void aWrongCredentialAnUnknownDeviceAndAnUnknownAccountAreOneRefusal() {
    TestDevice bob = server.register();
    TestDevice bob2 = server.link(bob);
    byte[] c1 = credential(bob);
    byte[] wrong = c1.clone();
    wrong[0] ^= 1;

    List<Response> refused =
        List.of(
            sealed(bob.accountId, message(bob, wrong, new byte[] {1})),
            sealed(bob.accountId, message(bob2, c1, new byte[] {1})), // bob2 registered none
            sealed(AccountId.random(), message(bob, c1, new byte[] {1})));

    for (Response r : refused) {
      assertThat(r.status()).as(r.body()).isEqualTo(401);
      assertThat(r.code()).isEqualTo("delivery_credential_refused");
    }
    assertThat(refused.get(0).body()).isEqualTo(refused.get(2).body());
    assertThat(MessagesIT.fetch(server, bob).envelopes()).isEmpty();
  }

  @Test
  void aHolderOfEveryCredentialGetsTheStaleDeviceAnswerAndANewCredentialReplacesTheOld() {
    TestDevice bob = server.register();
    byte[] c1 = credential(bob);
    TestDevice bob2 = server.link(bob);

    Response missing = sealed(bob.accountId, message(bob, c1, new byte[] {1}));
    assertThat(missing.status()).as(missing.body()).isEqualTo(409);
    assertThat(missing.code()).isEqualTo("stale_devices");
    assertThat(missing.body()).contains("\"missingDevices\":[" + bob2.deviceId.value() + "]");

    byte[] replaced = credential(bob);
    assertThat(sealed(bob.accountId, message(bob, c1, new byte[] {1})).code())
        .isEqualTo("delivery_credential_refused");
    byte[] c2 = credential(bob2);
    assertThat(
            sealed(
                    bob.accountId,
                    message(bob, replaced, new byte[] {1}),
                    message(bob2, c2, new byte[] {2}))
                .status())
        .isEqualTo(200);
  }

  @Test
  void anAuthenticatedSendCannotPassItselfOffAsSealed() {
    TestDevice alice = server.register();
    TestDevice bob = server.register();
    Response r =
        server.put(
            "/v1/messages/" + bob.accountId,
            "{\"messages\":[{\"deviceId\":1,\"registrationId\":"
                + bob.crypto.registrationId()
                + ",\"type\":\"sealed_sender\",\"content\":\"AQ\"}],\"timestamp\":1}",
            alice.credentials());
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.body()).contains("sealed_sender");
  }

  private static org.parley.protocol.sealed.SealedGroupRecipient named(
      TestDevice d, byte[] credential) {
    return new org.parley.protocol.sealed.SealedGroupRecipient(d.accountId, d.deviceId, credential);
  }

  private static Response sealedGroup(
      byte[] payload, org.parley.protocol.sealed.SealedGroupRecipient... recipients) {
    return server.post(
        "/v1/messages/group/sealed",
        new org.parley.protocol.sealed.SealedGroupSendRequest(
            List.of(recipients), payload, 1_700_000_000_000L),
        null);
  }

  @Test
  void aGroupMessageSealedOnceReachesEveryDeviceAndEachOpensItsOwnShare() throws Exception {
    TestDevice alice = server.register();
    TestDevice bob = server.register();
    TestDevice bob2 = server.link(bob); // another key under the same account: its own service id
    TestDevice carol = server.register();
    byte[] c1 = credential(bob);
    byte[] c2 = credential(bob2);
    byte[] c3 = credential(carol);
    byte[] payload =
        alice.sealedGroupMessage(server, List.of(bob, bob2, carol), "hi all".getBytes());

    Response r = sealedGroup(payload, named(bob, c1), named(bob2, c2), named(carol, c3));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    var answer = r.as(org.parley.protocol.message.GroupSendResponse.class);
    assertThat(answer.devices()).isEqualTo(3);
    assertThat(answer.refused()).isEmpty();
    byte[] root =
        server.get("/v1/certificate/trust-root", null).as(TrustRootResponse.class).trustRoot();
    for (TestDevice d : List.of(bob, bob2, carol)) {
      Envelope e = MessagesIT.fetch(server, d).envelopes().getFirst();
      assertThat(e.type()).isEqualTo(EnvelopeType.SEALED_SENDER);
      assertThat(e.sourceAccountId()).isNull();
      var opened =
          d.crypto.sealedSender().open(d.address(), root, e.content(), e.serverTimestamp());
      assertThat(opened.sender().address()).isEqualTo(alice.address());
      assertThat(opened.kind()).isEqualTo(org.parley.crypto.SealedSender.Kind.SENDER_KEY_MESSAGE);
      assertThat(new String(d.crypto.senderKeys().decrypt(alice.address(), opened.content())))
          .isEqualTo("hi all");
    }
  }

  @Test
  void aSealedGroupUploadRefusesAnAccountWithAWrongCredentialOrAStaleListAndStoresTheRest()
      throws Exception {
    TestDevice alice = server.register();
    TestDevice bob = server.register();
    TestDevice bob2 = server.link(bob);
    TestDevice carol = server.register();
    TestDevice dave = server.register();
    byte[] c1 = credential(bob);
    credential(bob2);
    byte[] c3 = credential(carol);
    byte[] c4 = credential(dave);
    byte[] payload = alice.sealedGroupMessage(server, List.of(bob, carol, dave), new byte[] {1});
    byte[] wrong = c3.clone();
    wrong[5] ^= 1;

    Response r = sealedGroup(payload, named(bob, c1), named(carol, wrong), named(dave, c4));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    var answer = r.as(org.parley.protocol.message.GroupSendResponse.class);
    assertThat(answer.devices()).isEqualTo(1); // dave's
    assertThat(answer.refused())
        .extracting(x -> x.accountId() + " " + x.code().wireName())
        .containsExactlyInAnyOrder(
            bob.accountId + " stale_devices", carol.accountId + " delivery_credential_refused");
    assertThat(answer.refused())
        .filteredOn(x -> x.accountId().equals(bob.accountId))
        .singleElement()
        .satisfies(x -> assertThat(x.missingDevices()).containsExactly(2));
    assertThat(MessagesIT.fetch(server, bob).envelopes()).isEmpty();
    assertThat(MessagesIT.fetch(server, carol).envelopes()).isEmpty();
    assertThat(MessagesIT.fetch(server, dave).envelopes()).hasSize(1);
  }

  @Test
  void aPayloadThatIsNotAMultiRecipientMessageOrNamesOtherDevicesIsRefused() throws Exception {
    TestDevice alice = server.register();
    TestDevice bob = server.register();
    byte[] c1 = credential(bob);
    Response garbage = sealedGroup(new byte[] {0x23, 5, 1, 2}, named(bob, c1));
    assertThat(garbage.status()).as(garbage.body()).isEqualTo(400);
    assertThat(garbage.code()).isEqualTo("invalid_request");
    assertThat(garbage.body()).contains("payload");

    byte[] payload = alice.sealedGroupMessage(server, List.of(bob), new byte[] {1});
    TestDevice bob2 = server.link(bob);
    Response mismatched = sealedGroup(payload, named(bob2, c1));
    assertThat(mismatched.status()).as(mismatched.body()).isEqualTo(400);
    assertThat(mismatched.body()).contains("is not device 2 alone");
    assertThat(MessagesIT.fetch(server, bob).envelopes()).isEmpty();
  }

  @Test
  void aStrangersRefusedSealedSendsDoNotSpendTheRecipientsAllowance() throws Exception {
    try (TestServer limited =
        TestServer.start(
            c ->
                c.withLimits(
                    org.parley.server.http.RateLimits.defaults()
                        .with("sealed-sends-per-recipient-per-minute", 2)))) {
      TestDevice bob = limited.register();
      byte[] credential = new byte[DeliveryCredential.LENGTH];
      RANDOM.nextBytes(credential);
      assertThat(
              limited
                  .put(
                      "/v1/devices/me/delivery-credential",
                      new DeliveryCredential(credential),
                      bob.credentials())
                  .status())
          .isEqualTo(204);
      byte[] guess = new byte[DeliveryCredential.LENGTH];
      String path = "/v1/messages/" + bob.accountId + "/sealed";
      for (int i = 0; i < 5; i++) {
        assertThat(
                limited
                    .put(
                        path,
                        new SealedSendRequest(
                            List.of(message(bob, guess, new byte[] {1})), 1_700_000_000_000L),
                        null)
                    .code())
            .isEqualTo("delivery_credential_refused");
      }
      SealedSendRequest honest =
          new SealedSendRequest(List.of(message(bob, credential, new byte[] {1})), 1L);
      assertThat(limited.put(path, honest, null).status()).isEqualTo(200);
      assertThat(limited.put(path, honest, null).status()).isEqualTo(200);
      Response third = limited.put(path, honest, null);
      assertThat(third.status()).isEqualTo(429);
      assertThat(third.code()).isEqualTo("rate_limited");
    }
  }
}
