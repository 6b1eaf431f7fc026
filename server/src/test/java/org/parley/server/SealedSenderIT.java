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
        bob.crypto.sealedSender().open(bob.address(), root, envelope, System.currentTimeMillis());
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
}
