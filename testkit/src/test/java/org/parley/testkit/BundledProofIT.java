package org.parley.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.ClientException;
import org.parley.client.HistoryEntry;
import org.parley.client.KtAlarm;
import org.parley.client.KtAlarmException;
import org.parley.client.ParleyClient;
import org.parley.protocol.Json;
import org.parley.protocol.account.DeviceList;
import org.parley.protocol.account.HandleLookup;
import org.parley.protocol.keys.DeviceBundle;
import org.parley.protocol.keys.SignedPreKey;

/**
 * Issue 9, "proofs come with what they prove": a handle look-up and a device-list request each name
 * the key-transparency search of what they return, and the answers carry the proofs
 * (docs/spec/api.md); a first contact's device list also brings the prekey bundles. A first message
 * to a new contact is then the look-up, the list and the send. A bundled proof is verified as any
 * search answer before a key it proves is used: one byte changed on the way is an alarm, and
 * nothing is sent; a bundled bundle is checked against the proven key as a fetched one: one byte
 * changed and no session is started with it, and nothing is sent.
 */
class BundledProofIT {
  @TempDir Path dir;

  @Test
  void theDeviceListCarriesItsProofAndNoSearchOfItIsMade() throws Exception {
    try (ServerProcess server = ServerProcess.start(Backend.SQLITE, dir.resolve("server"));
        RequestRelay relay = new RequestRelay(server.uri());
        People people = new People(server, dir.resolve("clients"))) {
      ParleyClient bob = people.register("bob");
      ParleyClient alice = people.register("alice", relay.uri());
      String bobAccount = bob.identity().orElseThrow().accountId().value();
      byte[][] proof = new byte[1][];
      relay.rewriteResponses(
          (method, path, body) -> {
            if (path.equals("/v1/accounts/" + bobAccount + "/devices")) {
              proof[0] = Json.read(body, DeviceList.class).ktSearch();
            }
            return body;
          });
      relay.clear();
      assertThat(alice.send("bob@example.org", "first").recipientDevices()).isEqualTo(1);
      assertThat(proof[0]).isNotEmpty();
      // no search of bob's list: its proof came with it (nor of his handle: with the look-up)
      assertThat(relay.exchanges())
          .extracting(RequestRelay.Exchange::toString)
          .filteredOn(e -> e.equals("POST /v1/kt/search 200"))
          .isEmpty();
      assertThat(ForgedEnvelopeIT.receiveTexts(bob, 1)).containsExactly("first");
    }
  }

  @Test
  void aFirstMessageIsTheLookUpTheListAndTheSend() throws Exception {
    try (ServerProcess server = ServerProcess.start(Backend.SQLITE, dir.resolve("server"));
        RequestRelay relay = new RequestRelay(server.uri());
        People people = new People(server, dir.resolve("clients"))) {
      ParleyClient bob = people.register("bob");
      ParleyClient alice = people.register("alice", relay.uri());
      String bobAccount = bob.identity().orElseThrow().accountId().value();
      byte[][] handleProof = new byte[1][];
      DeviceList[] list = new DeviceList[1];
      relay.rewriteResponses(
          (method, path, body) -> {
            if (path.equals("/v1/handles/bob@example.org")) {
              handleProof[0] = Json.read(body, HandleLookup.class).ktSearch();
            } else if (path.equals("/v1/accounts/" + bobAccount + "/devices")) {
              list[0] = Json.read(body, DeviceList.class);
            }
            return body;
          });
      relay.clear();
      assertThat(alice.send("bob@example.org", "first").recipientDevices()).isEqualTo(1);
      assertThat(handleProof[0]).isNotEmpty();
      assertThat(list[0].ktSearch()).isNotEmpty();
      assertThat(list[0].bundles()).hasSize(1);
      // People.register waits until the log publishes bob, so every proof came with its answer;
      // alice's own list, proven once for the copy to her other devices, is not part of it
      String aliceAccount = alice.identity().orElseThrow().accountId().value();
      assertThat(relay.exchanges())
          .extracting(RequestRelay.Exchange::toString)
          .filteredOn(e -> !e.startsWith("GET /v1/kt/config") && !e.contains(aliceAccount))
          .containsExactly(
              "GET /v1/handles/bob@example.org 200",
              "GET /v1/accounts/" + bobAccount + "/devices 200",
              "PUT /v1/messages/" + bobAccount + " 200");
      assertThat(ForgedEnvelopeIT.receiveTexts(bob, 1)).containsExactly("first");
      // a known contact: the cached list, sessions and binding; one request, no bundles asked for
      relay.clear();
      assertThat(alice.send("bob@example.org", "second").recipientDevices()).isEqualTo(1);
      assertThat(relay.exchanges())
          .extracting(RequestRelay.Exchange::toString)
          .containsExactly("PUT /v1/messages/" + bobAccount + " 200");
    }
  }

  @Test
  void aTamperedHandleProofIsAnAlarmAndNothingIsSent() throws Exception {
    try (ServerProcess server = ServerProcess.start(Backend.SQLITE, dir.resolve("server"));
        RequestRelay relay = new RequestRelay(server.uri());
        People people = new People(server, dir.resolve("clients"))) {
      ParleyClient bob = people.register("bob");
      ParleyClient alice = people.register("alice", relay.uri());
      relay.rewriteResponses(
          (method, path, body) -> {
            if (!path.equals("/v1/handles/bob@example.org")) {
              return body;
            }
            HandleLookup found = Json.read(body, HandleLookup.class);
            if (found.ktSearch() == null) {
              return body;
            }
            byte[] tampered = found.ktSearch().clone();
            tampered[tampered.length / 2] ^= 0x01;
            return Json.write(found.withKtSearch(tampered));
          });
      relay.clear();
      assertThatThrownBy(() -> alice.send("bob@example.org", "never"))
          .isInstanceOf(KtAlarmException.class);
      assertThat(alice.keyTransparencyAlarms())
          .extracting(KtAlarm::kind)
          .containsExactly(KtAlarm.Kind.INVALID_PROOF);
      assertThat(alice.keyTransparencyAlarms().getFirst().evidence()).isNotEmpty();
      assertThat(relay.exchanges())
          .extracting(RequestRelay.Exchange::toString)
          .noneMatch(
              e ->
                  e.startsWith("PUT /v1/messages/")
                      || e.startsWith("GET /v1/keys/")
                      || e.startsWith("GET /v1/accounts/"));
      assertThat(alice.history("bob@example.org", 10))
          .extracting(HistoryEntry::text)
          .doesNotContain("never");
      assertThat(bob.receive()).isEmpty();
    }
  }

  /**
   * A bundle that came with the list is checked as a fetched one: its identity key must be the one
   * the log proved for the device, and its signed prekey must be signed by that key. One byte
   * changed in either and the device is withheld (as for {@code GET /v1/keys/}): with no device
   * left, nothing is sent.
   */
  @Test
  void aTamperedBundledBundleStartsNoSessionAndNothingIsSent() throws Exception {
    try (ServerProcess server = ServerProcess.start(Backend.SQLITE, dir.resolve("server"));
        RequestRelay relay = new RequestRelay(server.uri());
        People people = new People(server, dir.resolve("clients"))) {
      ParleyClient bob = people.register("bob");
      ParleyClient carol = people.register("carol");
      ParleyClient alice = people.register("alice", relay.uri());
      String bobAccount = bob.identity().orElseThrow().accountId().value();
      String carolAccount = carol.identity().orElseThrow().accountId().value();
      relay.rewriteResponses(
          (method, path, body) -> {
            boolean toBob = path.equals("/v1/accounts/" + bobAccount + "/devices");
            boolean toCarol = path.equals("/v1/accounts/" + carolAccount + "/devices");
            if (!toBob && !toCarol) {
              return body;
            }
            DeviceList list = Json.read(body, DeviceList.class);
            if (list.bundles() == null) {
              return body;
            }
            DeviceBundle b = list.bundles().getFirst();
            byte[] identity = b.identityKey().clone();
            byte[] signature = b.signedPreKey().signature().clone();
            if (toBob) {
              identity[identity.length - 1] ^= 0x01; // another key than the proven one
            } else {
              signature[signature.length / 2] ^= 0x01; // not signed by the proven key
            }
            DeviceBundle changed =
                new DeviceBundle(
                    b.deviceId(),
                    b.registrationId(),
                    identity,
                    new SignedPreKey(
                        b.signedPreKey().keyId(), b.signedPreKey().publicKey(), signature),
                    b.preKey(),
                    b.kyberPreKey());
            return Json.write(list.withBundles(java.util.List.of(changed)));
          });
      for (String to : java.util.List.of("bob@example.org", "carol@example.org")) {
        relay.clear();
        assertThatThrownBy(() -> alice.send(to, "never")).isInstanceOf(ClientException.class);
        assertThat(relay.exchanges())
            .extracting(RequestRelay.Exchange::toString)
            .noneMatch(e -> e.startsWith("PUT /v1/messages/"));
        assertThat(alice.history(to, 10))
            .filteredOn(e -> "never".equals(e.text()))
            .extracting(e -> e.delivery().orElseThrow().state())
            .containsExactly(HistoryEntry.Delivery.State.FAILED);
      }
      assertThat(bob.receive()).isEmpty();
      assertThat(carol.receive()).isEmpty();
    }
  }

  @Test
  void aTamperedBundledProofIsAnAlarmAndNothingIsSent() throws Exception {
    try (ServerProcess server = ServerProcess.start(Backend.SQLITE, dir.resolve("server"));
        RequestRelay relay = new RequestRelay(server.uri());
        People people = new People(server, dir.resolve("clients"))) {
      ParleyClient bob = people.register("bob");
      ParleyClient alice = people.register("alice", relay.uri());
      String bobAccount = bob.identity().orElseThrow().accountId().value();
      relay.rewriteResponses(
          (method, path, body) -> {
            if (!path.equals("/v1/accounts/" + bobAccount + "/devices")) {
              return body;
            }
            DeviceList list = Json.read(body, DeviceList.class);
            if (list.ktSearch() == null) {
              return body;
            }
            byte[] tampered = list.ktSearch().clone();
            tampered[tampered.length / 2] ^= 0x01;
            return Json.write(list.withKtSearch(tampered));
          });
      relay.clear();
      assertThatThrownBy(() -> alice.send("bob@example.org", "never"))
          .isInstanceOf(KtAlarmException.class);
      assertThat(alice.keyTransparencyAlarms())
          .extracting(KtAlarm::kind)
          .containsExactly(KtAlarm.Kind.INVALID_PROOF);
      assertThat(alice.keyTransparencyAlarms().getFirst().evidence()).isNotEmpty();
      assertThat(relay.exchanges())
          .extracting(RequestRelay.Exchange::toString)
          .noneMatch(e -> e.startsWith("PUT /v1/messages/") || e.startsWith("GET /v1/keys/"));
      assertThat(alice.history("bob@example.org", 10))
          .extracting(HistoryEntry::text)
          .doesNotContain("never");
      assertThat(bob.receive()).isEmpty();
    }
  }
}
