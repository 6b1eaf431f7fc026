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
import org.parley.keytrans.combined.CombinedTreeProof;
import org.parley.keytrans.commit.Label;
import org.parley.keytrans.commit.UpdateValue;
import org.parley.keytrans.head.Configuration;
import org.parley.keytrans.head.FullTreeHead;
import org.parley.keytrans.head.ModeParameters;
import org.parley.keytrans.head.TreeHead;
import org.parley.keytrans.log.HashValue;
import org.parley.keytrans.message.BinaryLadderStep;
import org.parley.keytrans.message.ContactMonitorRequest;
import org.parley.keytrans.message.MonitorMapEntry;
import org.parley.keytrans.message.MonitorResponse;
import org.parley.keytrans.message.OwnerInitRequest;
import org.parley.keytrans.message.OwnerInitResponse;
import org.parley.keytrans.message.OwnerMonitorRequest;
import org.parley.keytrans.message.SearchRequest;
import org.parley.keytrans.message.SearchResponse;
import org.parley.keytrans.message.UpdateRequest;
import org.parley.keytrans.message.UpdateResponse;
import org.parley.keytrans.operator.LabelVersion;
import org.parley.keytrans.operator.LogResponder;
import org.parley.keytrans.operator.TransparencyLog;
import org.parley.keytrans.suite.CipherSuite;
import org.parley.keytrans.suite.SignatureSecretKey;
import org.parley.keytrans.vrf.VrfProof;
import org.parley.keytrans.vrf.VrfSecretKey;

/**
 * Generates Parley's key-transparency test vectors (docs/spec/keytrans-test-vectors.json): a small
 * log built deterministically (keys and openings from SHA-256 of fixed strings, fixed timestamps),
 * every structure it publishes, and requests with the log's exact responses. Run {@code main} to
 * regenerate; {@link TestVectorsTest} checks that the file is what this code makes and that every
 * response in it verifies.
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
    for (CipherSuite suite :
        List.of(CipherSuite.KT_128_SHA256_Ed25519, CipherSuite.KT_128_SHA256_P256)) {
      out.put(suite.name(), forSuite(suite));
    }
    return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out)
        + "\n";
  }

  /** The fixed inputs: a 2 s epoch, a 10 s monitoring window, no lifetime. */
  static Configuration config(CipherSuite suite, SignatureSecretKey signing, VrfSecretKey vrf) {
    return new Configuration(
        suite,
        suite.signatureScheme().publicKey(signing),
        suite.vrf().publicKey(vrf),
        new ModeParameters.ContactMonitoring(),
        60_000,
        86_400_000,
        10_000,
        OptionalLong.empty());
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
    VectorChains chains = new VectorChains(config);
    // 12 entries: alice gets versions in 0, 3, 7 and 10; bob in 1 and 7 (two at once in 7).
    int[][] plan = {
      {1, 0}, {0, 1}, {0, 0}, {1, 0}, {0, 0}, {0, 0}, {0, 0}, {1, 2}, {0, 0}, {0, 0}, {1, 0}, {0, 0}
    };
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
      // A contact's chain (searches, then monitoring) and an owner's (initialise at entry 7,
      // learn version 3, monitor), each from the head its previous operation left it with.
      if (position == 4) {
        SearchRequest first = new SearchRequest(OptionalLong.empty(), bob, OptionalLong.empty());
        ops.add(
            op(
                chains,
                "contact",
                "search",
                i,
                first.encode(),
                responder.search(first).encode(config),
                tamper(
                    "the update value is replaced (its commitment no longer matches the tree)",
                    b ->
                        searchWith(
                            b,
                            config,
                            bob,
                            OptionalLong.empty(),
                            r ->
                                new SearchResponse(
                                    r.fullTreeHead(),
                                    r.version(),
                                    r.opening(),
                                    UpdateValue.of(
                                        "bob devices v9".getBytes(StandardCharsets.UTF_8)),
                                    r.binaryLadder(),
                                    r.search())))));
      } else if (position == 9) {
        SearchRequest r = new SearchRequest(OptionalLong.of(5), bob, OptionalLong.empty());
        ops.add(
            op(
                chains,
                "contact",
                "search",
                i,
                r.encode(),
                responder.search(r).encode(config),
                tamper(
                    "one bit of the first VRF proof is flipped",
                    b ->
                        searchWith(
                            b,
                            config,
                            bob,
                            OptionalLong.empty(),
                            x ->
                                new SearchResponse(
                                    x.fullTreeHead(),
                                    x.version(),
                                    x.opening(),
                                    x.value(),
                                    replaceFirst(
                                        x.binaryLadder(), flipVrf(x.binaryLadder().getFirst())),
                                    x.search())))));
      } else if (position == 10) {
        SearchRequest r = new SearchRequest(OptionalLong.of(10), alice, OptionalLong.empty());
        ops.add(
            op(
                chains,
                "contact",
                "search",
                i,
                r.encode(),
                responder.search(r).encode(config),
                tamper(
                    "the last prefix proof is left out",
                    b ->
                        searchWith(
                            b,
                            config,
                            alice,
                            OptionalLong.empty(),
                            x ->
                                new SearchResponse(
                                    x.fullTreeHead(),
                                    x.version(),
                                    x.opening(),
                                    x.value(),
                                    x.binaryLadder(),
                                    withoutLastPrefixProof(x.search()))))));
      } else if (position == 11) {
        SearchRequest fixed = new SearchRequest(OptionalLong.of(11), alice, OptionalLong.of(1));
        ops.add(
            op(
                chains,
                "contact",
                "search",
                i,
                fixed.encode(),
                responder.search(fixed).encode(config),
                tamper(
                    "a commitment is given for the target version",
                    b ->
                        searchWith(
                            b,
                            config,
                            alice,
                            OptionalLong.of(1),
                            x ->
                                new SearchResponse(
                                    x.fullTreeHead(),
                                    x.version(),
                                    x.opening(),
                                    x.value(),
                                    withCommitment(x.binaryLadder(), 1),
                                    x.search())))));
        ContactMonitorRequest monitor =
            new ContactMonitorRequest(
                OptionalLong.of(12), alice, entries(chains.contactMap(alice)));
        byte[] monitored = responder.contactMonitor(monitor).encode(config);
        ops.add(
            op(
                chains,
                "contact",
                "contact_monitor",
                i,
                monitor.encode(),
                monitored,
                tamper(
                    "the monitoring ladder's prefix proof is left out",
                    b ->
                        monitorWith(
                            b,
                            config,
                            x ->
                                new MonitorResponse(
                                    x.fullTreeHead(), withoutLastPrefixProof(x.monitor()))))));
        OwnerInitRequest init = new OwnerInitRequest(OptionalLong.empty(), alice, 7);
        ops.add(
            op(
                chains,
                "owner",
                "owner_init",
                i,
                init.encode(),
                responder.ownerInit(init).encode(config),
                tamper(
                    "one bit of the tree head's signature is flipped",
                    b ->
                        ownerInitWith(
                            b,
                            config,
                            x ->
                                new OwnerInitResponse(
                                    flipSignature(x.fullTreeHead()),
                                    x.greatestVersions(),
                                    x.binaryLadder(),
                                    x.init())))));
        UpdateRequest update =
            new UpdateRequest(OptionalLong.of(12), alice, OptionalLong.of(2), List.of());
        ops.add(
            op(
                chains,
                "owner",
                "update",
                i,
                update.encode(),
                responder.update(update).orElseThrow().encode(config),
                tamper(
                    "the new versions are claimed one entry earlier (position 9)",
                    b ->
                        updateWith(
                            b,
                            config,
                            x ->
                                new UpdateResponse(
                                    x.fullTreeHead(),
                                    9,
                                    x.values(),
                                    x.info(),
                                    x.binaryLadder(),
                                    x.update())))));
        OwnerMonitorRequest ownerMonitor =
            new OwnerMonitorRequest(
                OptionalLong.of(12), alice, entries(chains.ownerMap()), 7, OptionalLong.of(3));
        ops.add(
            op(
                chains,
                "owner",
                "owner_monitor",
                i,
                ownerMonitor.encode(),
                responder.ownerMonitor(ownerMonitor).encode(config),
                tamper(
                    "a freshly signed head of the size the owner already trusts replaces 'same'",
                    b ->
                        monitorWith(
                            b,
                            config,
                            x ->
                                new MonitorResponse(
                                    new FullTreeHead.Updated(
                                        log.signedHeadAt(12), java.util.Optional.empty()),
                                    x.monitor())))));
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

  /** One tampered variant of a response: what was changed, and how. */
  record Tamper(String what, TamperFn change) {}

  interface TamperFn {
    byte[] apply(byte[] honest) throws Exception;
  }

  static Tamper tamper(String what, TamperFn change) {
    return new Tamper(what, change);
  }

  /**
   * One operation: its request and response, the state the user starts from, each tampered response
   * with the reason verification refuses it (checked before the honest one, from the same state),
   * and the verdict on the honest response.
   */
  private static Map<String, Object> op(
      VectorChains chains,
      String chain,
      String kind,
      int lastEntry,
      byte[] request,
      byte[] response,
      Tamper... tampered)
      throws Exception {
    long now = timestamp(lastEntry);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("chain", chain);
    m.put("operation", kind);
    m.put("now", now);
    m.put("state_before", chains.stateBefore(chain));
    m.put("request", HEX.formatHex(request));
    m.put("response", HEX.formatHex(response));
    List<Map<String, Object>> variants = new ArrayList<>();
    for (Tamper t : tampered) {
      byte[] bad = t.change().apply(response);
      Map<String, Object> v = new LinkedHashMap<>();
      v.put("what", t.what());
      v.put("response", HEX.formatHex(bad));
      Map<String, Object> verdict = new LinkedHashMap<>(); // ordered: the file is reproducible
      verdict.put("accept", false);
      verdict.put("reason", rejection(chains, chain, kind, request, bad, now));
      v.put("verdict", verdict);
      variants.add(v);
    }
    m.put("verdict", chains.apply(chain, kind, request, response, now));
    m.put("tampered", variants);
    return m;
  }

  /** Why verification refuses {@code response}; fails if it is accepted. */
  static String rejection(
      VectorChains chains, String chain, String kind, byte[] request, byte[] response, long now) {
    try {
      chains.apply(chain, kind, request, response, now);
    } catch (Exception e) {
      return e.getMessage();
    }
    throw new AssertionError("a tampered " + kind + " response was accepted");
  }

  // ---- tampering --------------------------------------------------------------------------

  private static byte[] searchWith(
      byte[] honest,
      Configuration config,
      Label label,
      OptionalLong version,
      java.util.function.UnaryOperator<SearchResponse> change)
      throws Exception {
    SearchRequest shape = new SearchRequest(OptionalLong.empty(), label, version);
    return change.apply(SearchResponse.decode(honest, config, shape)).encode(config);
  }

  private static byte[] monitorWith(
      byte[] honest, Configuration config, java.util.function.UnaryOperator<MonitorResponse> change)
      throws Exception {
    return change.apply(MonitorResponse.decode(honest, config)).encode(config);
  }

  private static byte[] ownerInitWith(
      byte[] honest,
      Configuration config,
      java.util.function.UnaryOperator<OwnerInitResponse> change)
      throws Exception {
    return change.apply(OwnerInitResponse.decode(honest, config)).encode(config);
  }

  private static byte[] updateWith(
      byte[] honest, Configuration config, java.util.function.UnaryOperator<UpdateResponse> change)
      throws Exception {
    return change.apply(UpdateResponse.decode(honest, config)).encode(config);
  }

  private static <T> List<T> replaceFirst(List<T> list, T first) {
    List<T> out = new ArrayList<>(list);
    out.set(0, first);
    return out;
  }

  private static BinaryLadderStep flipVrf(BinaryLadderStep step) {
    byte[] proof = step.proof().bytes().clone();
    proof[proof.length / 2] ^= 0x01;
    return new BinaryLadderStep(new VrfProof(proof), step.commitment());
  }

  /** The step of {@code target} in its ladder gets a commitment (all zero bytes). */
  private static List<BinaryLadderStep> withCommitment(List<BinaryLadderStep> ladder, long target) {
    int index = org.parley.keytrans.combined.Searches.ladderVersions(target).indexOf(target);
    List<BinaryLadderStep> out = new ArrayList<>(ladder);
    out.set(
        index,
        new BinaryLadderStep(
            ladder.get(index).proof(),
            java.util.Optional.of(HashValue.of(new byte[CipherSuite.NH]))));
    return out;
  }

  private static CombinedTreeProof withoutLastPrefixProof(CombinedTreeProof proof) {
    List<org.parley.keytrans.prefix.PrefixProof> proofs = proof.prefixProofs();
    return new CombinedTreeProof(
        proof.timestamps(),
        proofs.subList(0, proofs.size() - 1),
        proof.prefixRoots(),
        proof.inclusion());
  }

  private static FullTreeHead flipSignature(FullTreeHead head) {
    FullTreeHead.Updated updated = (FullTreeHead.Updated) head;
    byte[] signature = updated.treeHead().signature().clone();
    signature[0] ^= 0x01;
    return new FullTreeHead.Updated(
        new TreeHead(updated.treeHead().treeSize(), signature), updated.auditorTreeHead());
  }

  private static List<MonitorMapEntry> entries(Map<Long, Long> map) {
    List<MonitorMapEntry> out = new ArrayList<>();
    new java.util.TreeMap<>(map).forEach((p, v) -> out.add(new MonitorMapEntry(p, v)));
    return out;
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
