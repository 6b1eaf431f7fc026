package org.parley.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.HistoryEntry;
import org.parley.client.KtAlarm;
import org.parley.client.KtAlarmException;
import org.parley.client.ParleyClient;
import org.parley.protocol.Json;
import org.parley.protocol.account.DeviceList;

/**
 * Issue 9, "proofs come with what they prove": a device-list request names the key-transparency
 * search of the account's label, and the answer carries the proof (docs/spec/api.md), so a first
 * message to a new contact makes no search of its list of its own. The bundled proof is verified as
 * any search answer before a key of the list is used: one byte changed on the way is an alarm, and
 * nothing is sent.
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
      // the handle's search answered (after 404s while the log had not published bob yet; the
      // handle and the list are published in the same entry), and none for the list: its proof
      // came with it
      assertThat(relay.exchanges())
          .extracting(RequestRelay.Exchange::toString)
          .filteredOn(e -> e.equals("POST /v1/kt/search 200"))
          .hasSize(1);
      assertThat(ForgedEnvelopeIT.receiveTexts(bob, 1)).containsExactly("first");
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
