package org.parley.keytrans.vectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.parley.keytrans.commit.Label;
import org.parley.keytrans.commit.UpdateValue;
import org.parley.keytrans.head.Configuration;
import org.parley.keytrans.head.ModeParameters;
import org.parley.keytrans.message.MonitorMapEntry;
import org.parley.keytrans.message.OwnerInitRequest;
import org.parley.keytrans.message.SearchRequest;
import org.parley.keytrans.message.UpdateRequest;
import org.parley.keytrans.operator.LabelVersion;
import org.parley.keytrans.operator.LogResponder;
import org.parley.keytrans.operator.TransparencyLog;
import org.parley.keytrans.suite.CipherSuite;
import org.parley.keytrans.suite.SignatureSecretKey;
import org.parley.keytrans.vrf.VrfSecretKey;

/**
 * Generates Parley's key-transparency test vectors (docs/spec/keytrans-test-vectors.json): a small
 * log built deterministically (keys and openings from SHA-256 of fixed strings, fixed
 * timestamps), every structure it publishes, and requests with the log's exact responses. Run
 * {@code main} to regenerate; {@link TestVectorsTest} checks that the file is what this code
 * makes and that every response in it verifies.
 */
public final class TestVectors {
  static final Path FILE = Path.of("..", "docs", "spec", "keytrans-test-vectors.json");
  private static final HexFormat HEX = HexFormat.of();

  private TestVectors() {}

  public static void main(String[] args) throws Exception {
    Files.writeString(FILE, generate());
    System.out.println("wrote " + FILE.toAbsolutePath().normalize());
  }

  /** The vectors as pretty-printed JSON text, byte for byte reproducible. */
  static String generate() throws Exception {
    Map<String, Object> out = new LinkedHashMap<>();
    for (CipherSuite suite : List.of(CipherSuite.KT_128_SHA256_Ed25519,
        CipherSuite.KT_128_SHA256_P256)) {
      out.put(suite.name(), forSuite(suite));
    }
    return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
        .writeValueAsString(out) + "\n";
  }

  /** The fixed inputs: a 2 s epoch, a 10 s monitoring window, no lifetime. */
  static Configuration config(CipherSuite suite, SignatureSecretKey signing, VrfSecretKey vrf) {
    return new Configuration(suite, suite.signatureScheme().publicKey(signing),
        suite.vrf().publicKey(vrf), new ModeParameters.ContactMonitoring(), 60_000, 86_400_000,
        10_000, OptionalLong.empty());
  }

  static SignatureSecretKey signingKey(CipherSuite suite) {
    return suite.signatureScheme().generateSecretKey(seeded("signing " + suite.name()));
  }

  static VrfSecretKey vrfKey(CipherSuite suite) {
    return suite.vrf().generateSecretKey(seeded("vrf " + suite.name()));
  }

  /** The timestamp of entry {@code i}: 2026-11-28T00:00:00Z plus 2 s per entry. */
  static long timestamp(int i) {
    return 1_795_824_000_000L + 2_000L * i;
  }

  private static Map<String, Object> forSuite(CipherSuite suite) throws Exception {
    SignatureSecretKey signing = signingKey(suite);
    VrfSecretKey vrf = vrfKey(suite);
    Configuration config = config(suite, signing, vrf);
    TransparencyLog log = new TransparencyLog(config, signing, vrf);
    LogResponder responder = new LogResponder(log);
    SecureRandom openings = seeded("openings " + suite.name());
    Label alice = label("parley/account/alice");
    Label bob = label("parley/account/bob");
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("configuration", HEX.formatHex(config.encode()));
    out.put("signing_secret_key", HEX.formatHex(signing.bytes()));
    out.put("vrf_secret_key", HEX.formatHex(vrf.bytes()));
    List<Map<String, Object>> entries = new ArrayList<>();
    List<Map<String, Object>> ops = new ArrayList<>();
    // 12 entries: alice gets versions in 0, 3, 7 and 10; bob in 1 and 7 (two at once in 7).
    int[][] plan = {{1, 0}, {0, 1}, {0, 0}, {1, 0}, {0, 0}, {0, 0}, {0, 0}, {1, 2}, {0, 0},
        {0, 0}, {1, 0}, {0, 0}};
    for (int i = 0; i < plan.length; i++) {
      List<org.parley.keytrans.operator.PreparedVersion> versions = new ArrayList<>();
      for (int k = 0; k < plan[i][0]; k++) {
        long v = log.greatestVersion(alice) + 1 + k;
        versions.add(log.prepare(alice, v, value("alice", v), openings));
      }
      for (int k = 0; k < plan[i][1]; k++) {
        long v = log.greatestVersion(bob) + 1 + k;
        versions.add(log.prepare(bob, v, value("bob", v), openings));
      }
      long position = log.appendEpoch(timestamp(i), versions, true);
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("position", position);
      entry.put("timestamp", timestamp(i));
      entry.put("prefix_root", HEX.formatHex(log.prefixTree(position).root().toByteArray()));
      entry.put("log_root", HEX.formatHex(log.root(position + 1).toByteArray()));
      entry.put("tree_head", HEX.formatHex(log.head().orElseThrow().encode()));
      entry.put("auditor_update", HEX.formatHex(log.auditorUpdate(position).encode()));
      entries.add(entry);
      // A contact's chain of searches, each from the head the previous one left it with.
      if (position == 4) {
        SearchRequest r = new SearchRequest(OptionalLong.empty(), bob, OptionalLong.empty());
        ops.add(op("contact", "search", r.encode(), responder.search(r).encode(config), i));
      } else if (position == 9) {
        SearchRequest r = new SearchRequest(OptionalLong.of(5), bob, OptionalLong.empty());
        ops.add(op("contact", "search", r.encode(), responder.search(r).encode(config), i));
      } else if (position == 11) {
        SearchRequest r = new SearchRequest(OptionalLong.of(10), alice, OptionalLong.of(1));
        ops.add(op("contact", "search", r.encode(), responder.search(r).encode(config), i));
        // The owner's chain: initialise at entry 7, learn version 3, monitor.
        OwnerInitRequest init = new OwnerInitRequest(OptionalLong.empty(), alice, 7);
        ops.add(op("owner", "owner_init", init.encode(), responder.ownerInit(init).encode(config),
            i));
        UpdateRequest update = new UpdateRequest(OptionalLong.of(12), alice, OptionalLong.of(2),
            List.of());
        ops.add(op("owner", "update", update.encode(), responder.update(update).orElseThrow().encode(config),
            i));
        org.parley.keytrans.message.OwnerMonitorRequest monitor =
            new org.parley.keytrans.message.OwnerMonitorRequest(OptionalLong.of(12), alice,
                List.of(new MonitorMapEntry(10, 3)), 7, OptionalLong.of(3));
        ops.add(op("owner", "owner_monitor", monitor.encode(),
            responder.ownerMonitor(monitor).encode(config), i));
      }
    }
    out.put("entries", entries);
    List<Map<String, Object>> versions = new ArrayList<>();
    for (Label label : List.of(alice, bob)) {
      for (long v = 0; v <= log.greatestVersion(label); v++) {
        LabelVersion lv = log.version(label, v).orElseThrow();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("label", HEX.formatHex(label.bytes()));
        m.put("version", v);
        m.put("position", lv.position());
        m.put("update_value", HEX.formatHex(lv.value().encode()));
        m.put("opening", HEX.formatHex(lv.opening().bytes()));
        m.put("commitment", HEX.formatHex(lv.commitment().bytes()));
        m.put("vrf_proof", HEX.formatHex(lv.vrfProof().bytes()));
        m.put("vrf_output", HEX.formatHex(lv.searchKey().toByteArray()));
        versions.add(m);
      }
    }
    out.put("label_versions", versions);
    out.put("operations", ops);
    return out;
  }

  private static Map<String, Object> op(String chain, String kind, byte[] request,
      byte[] response, int lastEntry) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("chain", chain);
    m.put("operation", kind);
    m.put("now", timestamp(lastEntry));
    m.put("request", HEX.formatHex(request));
    m.put("response", HEX.formatHex(response));
    return m;
  }

  static Label label(String text) {
    return new Label(text.getBytes(StandardCharsets.UTF_8));
  }

  static UpdateValue value(String who, long version) {
    return UpdateValue.of((who + " devices v" + version).getBytes(StandardCharsets.UTF_8));
  }

  /** A SecureRandom whose output is SHA-256(seed || counter): reproducible, for vectors only. */
  static SecureRandom seeded(String seed) {
    return new SecureRandom() {
      private long counter;
      private byte[] block = new byte[0];
      private int used;

      @Override
      public void nextBytes(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
          if (used == block.length) {
            try {
              MessageDigest sha = MessageDigest.getInstance("SHA-256");
              sha.update(seed.getBytes(StandardCharsets.UTF_8));
              sha.update(java.nio.ByteBuffer.allocate(8).putLong(counter++).array());
              block = sha.digest();
            } catch (java.security.NoSuchAlgorithmException e) {
              throw new IllegalStateException(e);
            }
            used = 0;
          }
          bytes[i] = block[used++];
        }
      }
    };
  }
}
