package org.parley.keytrans.vectors;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.parley.keytrans.combined.LabelKeys;
import org.parley.keytrans.commit.Commitments;
import org.parley.keytrans.commit.Label;
import org.parley.keytrans.commit.Opening;
import org.parley.keytrans.commit.UpdateValue;
import org.parley.keytrans.commit.VrfInput;
import org.parley.keytrans.head.Configuration;
import org.parley.keytrans.head.TreeHead;
import org.parley.keytrans.head.TreeHeads;
import org.parley.keytrans.log.HashValue;
import org.parley.keytrans.message.MonitorResponse;
import org.parley.keytrans.message.OwnerInitRequest;
import org.parley.keytrans.message.OwnerInitResponse;
import org.parley.keytrans.message.OwnerMonitorRequest;
import org.parley.keytrans.message.SearchRequest;
import org.parley.keytrans.message.SearchResponse;
import org.parley.keytrans.message.UpdateRequest;
import org.parley.keytrans.message.UpdateResponse;
import org.parley.keytrans.prefix.SearchKey;
import org.parley.keytrans.user.TrustedHead;
import org.parley.keytrans.user.UserVerifier;
import org.parley.keytrans.vrf.VrfProof;

/**
 * The published test vectors (docs/spec/keytrans-test-vectors.json) are exactly what our code
 * generates, and everything in them verifies when read back from the file alone: heads, label
 * versions (commitments and VRF outputs), and each operation's response, as a contact's and an
 * owner's chain of requests.
 */
class TestVectorsTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void theCheckedInFileIsWhatTheCodeGenerates() throws Exception {
    assertThat(Files.readString(TestVectors.FILE, StandardCharsets.UTF_8))
        .as("regenerate with TestVectors.main after a deliberate change of an encoding")
        .isEqualTo(TestVectors.generate());
  }

  @Test
  void everythingInTheFileVerifiesFromTheFileAlone() throws Exception {
    JsonNode all = new ObjectMapper().readTree(TestVectors.FILE.toFile());
    assertThat(all.size()).isEqualTo(2);
    for (JsonNode suite : all) {
      Configuration config = Configuration.decode(hex(suite, "configuration"));
      for (JsonNode entry : suite.get("entries")) {
        TreeHead head = TreeHead.decode(hex(entry, "tree_head"));
        assertThat(head.treeSize()).isEqualTo(entry.get("position").asLong() + 1);
        TreeHeads.verify(config, head, HashValue.of(hex(entry, "log_root")));
      }
      for (JsonNode v : suite.get("label_versions")) {
        Label label = new Label(hex(v, "label"));
        long version = v.get("version").asLong();
        UpdateValue value = UpdateValue.decode(hex(v, "update_value"), config.mode());
        assertThat(Commitments.commit(config.suite(), Opening.of(hex(v, "opening")), label,
            version, value).bytes()).isEqualTo(hex(v, "commitment"));
        assertThat(config.suite().verifyVrf(config.vrfPublicKey(),
            VrfInput.of(label, version).encode(), new VrfProof(hex(v, "vrf_proof"))))
            .isEqualTo(hex(v, "vrf_output"));
      }
      verifyOperations(config, suite.get("operations"));
    }
  }

  private static void verifyOperations(Configuration config, JsonNode ops) throws Exception {
    UserVerifier verifier = new UserVerifier(config);
    TrustedHead contact = null;
    TrustedHead owner = null;
    Map<Long, SearchKey> keys = new HashMap<>();
    Map<Long, HashValue> commitments = new HashMap<>();
    int checked = 0;
    for (JsonNode op : ops) {
      byte[] request = hex(op, "request");
      byte[] response = hex(op, "response");
      long now = op.get("now").asLong();
      switch (op.get("operation").asText()) {
        case "search" -> {
          SearchRequest r = SearchRequest.decode(request);
          UserVerifier.SearchResult result = verifier.verifySearch(contact, r,
              SearchResponse.decode(response, config, r), now);
          contact = result.head();
          String who = new String(r.label().bytes(), StandardCharsets.UTF_8)
              .replace("parley/account/", "");
          assertThat(new String(result.value().value(), StandardCharsets.UTF_8))
              .isEqualTo(who + " devices v" + result.version());
        }
        case "owner_init" -> {
          OwnerInitRequest r = OwnerInitRequest.decode(request);
          UserVerifier.OwnerInitResult result = verifier.verifyOwnerInit(owner, r,
              OwnerInitResponse.decode(response, config), now);
          owner = result.head();
          keys.putAll(result.searchKeys());
          commitments.putAll(result.commitments());
          assertThat(result.greatestVersions().getFirst()).isEqualTo(2);
        }
        case "update" -> {
          UpdateRequest r = UpdateRequest.decode(request);
          UpdateResponse decoded = UpdateResponse.decode(response, config);
          UserVerifier.UpdateResult result = verifier.verifyUpdate(owner, r, decoded,
              OptionalLong.of(7), 7, keys(keys, commitments), now);
          owner = result.head();
          keys.putAll(result.searchKeys());
          commitments.put(3L, HashValue.of(Commitments.commit(config.suite(),
              decoded.info().getFirst(), r.label(), 3, result.values().getFirst()).bytes()));
          assertThat(result.position()).isEqualTo(10);
        }
        case "owner_monitor" -> {
          OwnerMonitorRequest r = OwnerMonitorRequest.decode(request);
          verifier.verifyOwnerMonitor(owner, r, MonitorResponse.decode(response, config),
              new TreeMap<>(Map.of(7L, 2L, 10L, 3L)), keys(keys, commitments), now);
        }
        default -> throw new AssertionError("unknown operation " + op.get("operation"));
      }
      checked++;
    }
    assertThat(checked).isEqualTo(6);
  }

  private static LabelKeys keys(Map<Long, SearchKey> keys, Map<Long, HashValue> commitments) {
    return LabelKeys.of(keys, commitments);
  }

  private static byte[] hex(JsonNode node, String field) {
    return HEX.parseHex(node.get(field).asText());
  }
}
