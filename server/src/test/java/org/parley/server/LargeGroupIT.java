package org.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.protocol.message.Envelope;
import org.parley.protocol.message.GroupSendResponse;
import org.parley.protocol.sealed.DeliveryCredential;
import org.parley.protocol.sealed.SealedGroupRecipient;
import org.parley.protocol.sealed.SealedGroupSendRequest;
import org.parley.protocol.sealed.TrustRootResponse;
import org.parley.server.http.RateLimits;

/**
 * A group of 1,000 members with real crypto (issue 10, "Size"): one sender-key message sealed once
 * for 1,000 devices of 1,000 accounts, one upload, and every member device opens its own share and
 * decrypts the text. The members are simulated in this process; the server is real.
 */
class LargeGroupIT {
  private static final int MEMBERS = 1_000;

  @Test
  void aThousandMembersEachReadTheOneUpload() throws Exception {
    RateLimits lifted =
        RateLimits.defaults()
            .with("registrations-per-hour", 10_000)
            .with("key-fetches-per-caller-per-hour", 10_000);
    try (TestServer server = TestServer.start(c -> c.withLimits(lifted))) {
      SecureRandom random = new SecureRandom();
      TestDevice alice = server.register(1, 1);
      List<TestDevice> members = new ArrayList<>();
      List<SealedGroupRecipient> named = new ArrayList<>();
      for (int i = 0; i < MEMBERS; i++) {
        TestDevice m = server.register(1, 1);
        byte[] credential = new byte[DeliveryCredential.LENGTH];
        random.nextBytes(credential);
        assertThat(
                server
                    .put(
                        "/v1/devices/me/delivery-credential",
                        new DeliveryCredential(credential),
                        m.credentials())
                    .status())
            .isEqualTo(204);
        members.add(m);
        named.add(new SealedGroupRecipient(m.accountId, m.deviceId, credential));
      }
      byte[] payload =
          alice.sealedGroupMessage(server, members, "hello, a thousand of you".getBytes());

      Response r =
          server.post(
              "/v1/messages/group/sealed",
              new SealedGroupSendRequest(named, payload, System.currentTimeMillis()),
              null);

      assertThat(r.status()).as(r.body()).isEqualTo(200);
      GroupSendResponse answer = r.as(GroupSendResponse.class);
      assertThat(answer.devices()).isEqualTo(MEMBERS);
      assertThat(answer.refused()).isEmpty();
      byte[] root =
          server.get("/v1/certificate/trust-root", null).as(TrustRootResponse.class).trustRoot();
      for (TestDevice m : members) {
        Envelope e = MessagesIT.fetch(server, m).envelopes().getFirst();
        var opened =
            m.crypto.sealedSender().open(m.address(), root, e.content(), e.serverTimestamp());
        assertThat(opened.sender().address()).isEqualTo(alice.address());
        assertThat(new String(m.crypto.senderKeys().decrypt(alice.address(), opened.content())))
            .isEqualTo("hello, a thousand of you");
      }
    }
  }
}
