package org.parley.keytrans.vectors;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.parley.keytrans.commit.Commitments;
import org.parley.keytrans.commit.Label;
import org.parley.keytrans.commit.Opening;
import org.parley.keytrans.commit.UpdateValue;
import org.parley.keytrans.commit.VrfInput;
import org.parley.keytrans.head.Configuration;
import org.parley.keytrans.head.TreeHead;
import org.parley.keytrans.head.TreeHeads;
import org.parley.keytrans.log.HashValue;
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
        assertThat(
                Commitments.commit(
                        config.suite(), Opening.of(hex(v, "opening")), label, version, value)
                    .bytes())
            .isEqualTo(hex(v, "commitment"));
        assertThat(
                config
                    .suite()
                    .verifyVrf(
                        config.vrfPublicKey(),
                        VrfInput.of(label, version).encode(),
                        new VrfProof(hex(v, "vrf_proof"))))
            .isEqualTo(hex(v, "vrf_output"));
      }
      verifyOperations(config, suite.get("operations"));
    }
  }

  /**
   * Replays the contact's and the owner's chains from the file alone: each tampered response is
   * refused for the published reason without changing the user's state, then the honest one is
   * accepted with the published verdict.
   */
  private static void verifyOperations(Configuration config, JsonNode ops) throws Exception {
    ObjectMapper json = new ObjectMapper();
    VectorChains chains = new VectorChains(config);
    Set<String> kinds = new TreeSet<>();
    for (JsonNode op : ops) {
      String chain = op.get("chain").asText();
      String kind = op.get("operation").asText();
      long now = op.get("now").asLong();
      byte[] request = hex(op, "request");
      assertThat(tree(json, chains.stateBefore(chain)))
          .as(kind + " state before")
          .isEqualTo(op.get("state_before"));
      assertThat(op.get("tampered")).as(kind + " has a tampered variant").isNotEmpty();
      for (JsonNode bad : op.get("tampered")) {
        assertThat(bad.path("verdict").path("accept").asBoolean(true)).isFalse();
        assertThat(TestVectors.rejection(chains, chain, kind, request, hex(bad, "response"), now))
            .as(kind + ": " + bad.get("what").asText())
            .isEqualTo(bad.path("verdict").path("reason").asText());
      }
      Map<String, Object> verdict = chains.apply(chain, kind, request, hex(op, "response"), now);
      assertThat(tree(json, verdict)).as(kind + " verdict").isEqualTo(op.get("verdict"));
      kinds.add(kind);
    }
    assertThat(kinds)
        .containsExactlyInAnyOrder(
            "search", "contact_monitor", "owner_init", "update", "owner_monitor");
    assertThat(ops.size()).isEqualTo(8);
  }

  /** As the file has it: numbers compare by value only after a round trip through text. */
  private static JsonNode tree(ObjectMapper json, Object value) throws Exception {
    return json.readTree(json.writeValueAsString(value));
  }

  private static byte[] hex(JsonNode node, String field) {
    return HEX.parseHex(node.get(field).asText());
  }
}
