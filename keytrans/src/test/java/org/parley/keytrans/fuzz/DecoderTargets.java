package org.parley.keytrans.fuzz;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import org.parley.keytrans.audit.AuditorUpdate;
import org.parley.keytrans.combined.CombinedTreeProof;
import org.parley.keytrans.commit.UpdateValue;
import org.parley.keytrans.head.AuditorTreeHead;
import org.parley.keytrans.head.Configuration;
import org.parley.keytrans.head.DeploymentMode;
import org.parley.keytrans.head.FullTreeHead;
import org.parley.keytrans.head.ModeParameters;
import org.parley.keytrans.head.TreeHead;
import org.parley.keytrans.log.HashValue;
import org.parley.keytrans.log.InclusionProof;
import org.parley.keytrans.log.LogEntry;
import org.parley.keytrans.log.MalformedEncodingException;
import org.parley.keytrans.message.ContactMonitorRequest;
import org.parley.keytrans.message.MonitorResponse;
import org.parley.keytrans.message.OwnerInitRequest;
import org.parley.keytrans.message.OwnerInitResponse;
import org.parley.keytrans.message.OwnerMonitorRequest;
import org.parley.keytrans.message.SearchRequest;
import org.parley.keytrans.message.SearchResponse;
import org.parley.keytrans.message.UpdateRequest;
import org.parley.keytrans.message.UpdateResponse;
import org.parley.keytrans.prefix.PrefixLeaf;
import org.parley.keytrans.prefix.PrefixProof;
import org.parley.keytrans.prefix.PrefixTree;
import org.parley.keytrans.prefix.SearchKey;
import org.parley.keytrans.suite.CipherSuite;
import org.parley.keytrans.user.TrustedHead;

/**
 * Every {@code decode} of the module's wire structures. A decoder may only answer a value or
 * MalformedEncodingException, and a value must re-encode to exactly the bytes it came from: the
 * encodings are canonical, so an accepted mutant is simply another valid message, never a second
 * spelling of one.
 */
final class DecoderTargets {
  private DecoderTargets() {}

  interface Decode {
    Object apply(Object context, byte[] bytes) throws Exception;
  }

  interface Encode {
    byte[] apply(Object context, Object decoded);
  }

  /** A decoder over its seeds, judged by the canonical round trip. */
  static class Decoder extends CorpusTarget {
    private final Decode decode;
    private final Encode encode;

    Decoder(String name, int budget, List<Seed> seeds, Decode decode, Encode encode) {
      super(name, budget, seeds, true);
      this.decode = decode;
      this.encode = encode;
    }

    @Override
    Object run(Object context, byte[] bytes) throws Exception {
      return decode.apply(context, bytes);
    }

    @Override
    boolean refusal(Throwable t) {
      return t instanceof MalformedEncodingException;
    }

    @Override
    String judge(Object context, byte[] bytes, Object result) {
      byte[] again;
      try {
        again = encode.apply(context, result);
      } catch (RuntimeException e) {
        return "the decoded value cannot be encoded again: " + e;
      }
      return Arrays.equals(again, bytes)
          ? null
          : "decoded, it re-encodes to other bytes\n  in:  "
              + HexFormat.of().formatHex(bytes)
              + "\n  out: "
              + HexFormat.of().formatHex(again);
    }
  }

  /**
   * The decoders, with seeds from the worlds' real messages: each runs its systematic pass, then
   * {@code each} random mutations (a third of that for the small single-field structures).
   */
  static List<Target> all(List<HonestWorld> worlds, int each) throws Exception {
    List<Target> out = new ArrayList<>();
    Map<String, List<CorpusTarget.Seed>> responses = new LinkedHashMap<>();
    List<CorpusTarget.Seed> combined = new ArrayList<>();
    List<CorpusTarget.Seed> prefix = new ArrayList<>();
    List<CorpusTarget.Seed> inclusion = new ArrayList<>();
    List<CorpusTarget.Seed> heads = new ArrayList<>();
    Map<String, List<CorpusTarget.Seed>> requests = new LinkedHashMap<>();
    for (HonestWorld world : worlds) {
      for (HonestWorld.Scenario s : Sample.perGroup(world.scenarios, HonestWorld.Scenario::op, 3)) {
        String name =
            switch (s.op()) {
              case "verifySearch" -> "SearchResponse.decode";
              case "verifyContactMonitor", "verifyOwnerMonitor" -> "MonitorResponse.decode";
              case "verifyOwnerInit" -> "OwnerInitResponse.decode";
              default -> "UpdateResponse.decode";
            };
        responses
            .computeIfAbsent(name, k -> new ArrayList<>())
            .add(new CorpusTarget.Seed(s, s.honest()));
        Object decoded = s.decode().apply(s.honest());
        CombinedTreeProof proof =
            switch (decoded) {
              case SearchResponse r -> r.search();
              case MonitorResponse r -> r.monitor();
              case OwnerInitResponse r -> r.init();
              case UpdateResponse r -> r.update();
              default -> throw new IllegalStateException();
            };
        combined.add(new CorpusTarget.Seed(null, proof.encode()));
        proof.prefixProofs().stream()
            .limit(3)
            .forEach(p -> prefix.add(new CorpusTarget.Seed(null, p.encode())));
        inclusion.add(new CorpusTarget.Seed(null, proof.inclusion().encode()));
        FullTreeHead head =
            switch (decoded) {
              case SearchResponse r -> r.fullTreeHead();
              case MonitorResponse r -> r.fullTreeHead();
              case OwnerInitResponse r -> r.fullTreeHead();
              case UpdateResponse r -> r.fullTreeHead();
              default -> throw new IllegalStateException();
            };
        if (head instanceof FullTreeHead.Updated u && heads.size() < 24) {
          heads.add(new CorpusTarget.Seed(null, u.treeHead().encode()));
        }
      }
      for (HonestWorld.Request r : Sample.perGroup(world.requests, HonestWorld.Request::kind, 3)) {
        requests
            .computeIfAbsent(r.kind(), k -> new ArrayList<>())
            .add(new CorpusTarget.Seed(null, r.bytes()));
      }
    }
    prefix.addAll(ProofTargets.prefixProofSeeds());

    out.add(
        new Decoder(
            "InclusionProof.decode",
            each,
            inclusion,
            (c, b) -> InclusionProof.decode(b, CipherSuite.NH),
            (c, d) -> ((InclusionProof) d).encode()));
    out.add(
        new Decoder(
            "PrefixProof.decode",
            each,
            prefix,
            (c, b) -> PrefixProof.decode(b),
            (c, d) -> ((PrefixProof) d).encode()));
    out.add(
        new Decoder(
            "CombinedTreeProof.decode",
            each,
            combined,
            (c, b) -> CombinedTreeProof.decode(b),
            (c, d) -> ((CombinedTreeProof) d).encode()));
    out.add(
        new Decoder(
            "Configuration.decode",
            each,
            configurations(),
            (c, b) -> Configuration.decode(b),
            (c, d) -> ((Configuration) d).encode()));
    out.add(
        new Decoder(
            "TreeHead.decode",
            each,
            heads,
            (c, b) -> TreeHead.decode(b),
            (c, d) -> ((TreeHead) d).encode()));
    List<CorpusTarget.Seed> auditorHeads =
        List.of(
            new CorpusTarget.Seed(null, new AuditorTreeHead(1_000, 7, new byte[64]).encode()),
            new CorpusTarget.Seed(
                null, new AuditorTreeHead(-1, Long.MAX_VALUE, new byte[0]).encode()));
    out.add(
        new Decoder(
            "AuditorTreeHead.decode",
            each,
            auditorHeads,
            (c, b) -> AuditorTreeHead.decode(b),
            (c, d) -> ((AuditorTreeHead) d).encode()));
    for (DeploymentMode mode : DeploymentMode.values()) {
      out.add(
          new Decoder(
              "FullTreeHead.decode(" + mode + ")",
              each / 3,
              fullHeads(heads, mode),
              (c, b) -> FullTreeHead.decode(b, mode),
              (c, d) -> ((FullTreeHead) d).encode(mode)));
      List<CorpusTarget.Seed> values = new ArrayList<>();
      for (String v : List.of("", "bob#0", "a longer value with some more bytes in it")) {
        UpdateValue value =
            mode == DeploymentMode.THIRD_PARTY_MANAGEMENT
                ? UpdateValue.signed(v.getBytes(), new byte[v.length() % 2 == 0 ? 64 : 0])
                : UpdateValue.of(v.getBytes());
        values.add(new CorpusTarget.Seed(null, value.encode()));
      }
      out.add(
          new Decoder(
              "UpdateValue.decode(" + mode + ")",
              each / 3,
              values,
              (c, b) -> UpdateValue.decode(b, mode),
              (c, d) -> ((UpdateValue) d).encode()));
    }
    out.add(
        new Decoder(
            "SearchRequest.decode",
            each,
            requests.get("SearchRequest"),
            (c, b) -> SearchRequest.decode(b),
            (c, d) -> ((SearchRequest) d).encode()));
    out.add(
        new Decoder(
            "ContactMonitorRequest.decode",
            each,
            requests.get("ContactMonitorRequest"),
            (c, b) -> ContactMonitorRequest.decode(b),
            (c, d) -> ((ContactMonitorRequest) d).encode()));
    out.add(
        new Decoder(
            "OwnerInitRequest.decode",
            each,
            requests.get("OwnerInitRequest"),
            (c, b) -> OwnerInitRequest.decode(b),
            (c, d) -> ((OwnerInitRequest) d).encode()));
    out.add(
        new Decoder(
            "OwnerMonitorRequest.decode",
            each,
            requests.get("OwnerMonitorRequest"),
            (c, b) -> OwnerMonitorRequest.decode(b),
            (c, d) -> ((OwnerMonitorRequest) d).encode()));
    out.add(
        new Decoder(
            "UpdateRequest.decode",
            each,
            requests.get("UpdateRequest"),
            (c, b) -> UpdateRequest.decode(b),
            (c, d) -> ((UpdateRequest) d).encode()));
    responses.forEach(
        (name, seeds) ->
            out.add(
                new Decoder(
                    name,
                    each,
                    seeds,
                    (c, b) -> ((HonestWorld.Scenario) c).decode().apply(b),
                    (c, d) -> ((HonestWorld.Scenario) c).encode().apply(d))));
    List<byte[]> trusted = new ArrayList<>();
    worlds.forEach(w -> trusted.addAll(Sample.spread(w.trustedHeads, 4)));
    out.add(trustedHeads(trusted, each));
    out.add(
        new Decoder(
            "AuditorUpdate.decode",
            each,
            auditorUpdates(),
            (c, b) -> AuditorUpdate.decode(b),
            (c, d) -> ((AuditorUpdate) d).encode()));
    out.add(
        new Decoder(
            "LogEntry.decode",
            each / 3,
            List.of(
                new CorpusTarget.Seed(
                    null, new LogEntry(1_234, HashValue.of(new byte[32])).encode())),
            (c, b) -> LogEntry.decode(b, CipherSuite.NH),
            (c, d) -> ((LogEntry) d).encode()));
    return out;
  }

  /**
   * The stored head, whose frontier is a list on the wire and a map in memory: besides the byte
   * mutations, a fifth of the cases swap two frontier records or repeat one (with the count
   * raised), which a byte mutation almost never lines up.
   */
  private static Target trustedHeads(List<byte[]> seeds, int each) {
    List<CorpusTarget.Seed> wrapped =
        seeds.stream().map(b -> new CorpusTarget.Seed(null, b)).toList();
    return new Decoder(
        "TrustedHead.decode",
        each,
        wrapped,
        (c, b) -> TrustedHead.decode(b),
        (c, d) -> ((TrustedHead) d).encode()) {
      @Override
      Case next(Random random, Mutator mutator) {
        if (random.nextInt(5) != 0) {
          return super.next(random, mutator);
        }
        byte[] in = seeds.get(random.nextInt(seeds.size()));
        int n;
        try {
          n = TrustedHead.decode(in).view().frontier().size();
        } catch (MalformedEncodingException e) {
          throw new IllegalStateException("an honest stored head does not decode", e);
        }
        int records = in.length - 48 * n;
        int i = random.nextInt(n);
        int j = random.nextInt(n);
        if (n > 1 && i != j && random.nextBoolean()) {
          byte[] out = in.clone();
          System.arraycopy(in, records + 48 * i, out, records + 48 * j, 48);
          System.arraycopy(in, records + 48 * j, out, records + 48 * i, 48);
          return new Case(null, out, Mutator.Kind.DUPLICATE);
        }
        byte[] record = Arrays.copyOfRange(in, records + 48 * i, records + 48 * (i + 1));
        if (random.nextBoolean()) {
          record[8 + random.nextInt(40)] ^= 1; // the same position with other data
        }
        byte[] out = Mutator.splice(in, records + 48 * i, records + 48 * i, record);
        out[records - 1]++;
        return new Case(null, out, Mutator.Kind.DUPLICATE);
      }
    };
  }

  /** Updates adding and removing leaves of small real prefix trees. */
  private static List<CorpusTarget.Seed> auditorUpdates() {
    java.util.Random random = new java.util.Random(11);
    List<CorpusTarget.Seed> out = new ArrayList<>();
    for (int size : new int[] {0, 1, 3, 10, 40}) {
      PrefixTree tree = PrefixTree.empty(CipherSuite.KT_128_SHA256_Ed25519);
      List<SearchKey> present = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        SearchKey key = SearchKey.of(ProofTargets.bytes(random, 32));
        tree = tree.put(key, HashValue.of(ProofTargets.bytes(random, 32)));
        present.add(key);
      }
      List<PrefixLeaf> added = new ArrayList<>();
      for (int i = random.nextInt(4); i > 0; i--) {
        added.add(
            new PrefixLeaf(
                SearchKey.of(ProofTargets.bytes(random, 32)),
                HashValue.of(ProofTargets.bytes(random, 32))));
      }
      List<SearchKey> removed = present.subList(0, Math.min(present.size(), random.nextInt(3)));
      out.add(
          new CorpusTarget.Seed(
              null, AuditorUpdate.build(tree, 1_000 + size, added, removed).encode()));
    }
    return out;
  }

  /** Both suites, every mode, with and without a maximum lifetime. */
  private static List<CorpusTarget.Seed> configurations() {
    List<CorpusTarget.Seed> out = new ArrayList<>();
    DeterministicRandom random = new DeterministicRandom(42);
    for (CipherSuite suite :
        List.of(CipherSuite.KT_128_SHA256_P256, CipherSuite.KT_128_SHA256_Ed25519)) {
      var scheme = suite.signatureScheme();
      var key = scheme.publicKey(scheme.generateSecretKey(random));
      var other = scheme.publicKey(scheme.generateSecretKey(random));
      var vrf = suite.vrf().publicKey(suite.vrf().generateSecretKey(random));
      for (ModeParameters params :
          List.of(
              new ModeParameters.ContactMonitoring(),
              new ModeParameters.ThirdPartyManagement(other),
              new ModeParameters.ThirdPartyAuditing(5_000, 3, other))) {
        for (OptionalLong lifetime : List.of(OptionalLong.empty(), OptionalLong.of(86_400_000))) {
          out.add(
              new CorpusTarget.Seed(
                  null,
                  new Configuration(
                          suite, key, vrf, params, 60_000, 86_400_000, 3_600_000, lifetime)
                      .encode()));
        }
      }
    }
    return out;
  }

  /** {@code same}, and heads as {@code updated} (with an auditor head where the mode has one). */
  private static List<CorpusTarget.Seed> fullHeads(
      List<CorpusTarget.Seed> heads, DeploymentMode mode) throws MalformedEncodingException {
    List<CorpusTarget.Seed> out = new ArrayList<>();
    out.add(new CorpusTarget.Seed(null, new FullTreeHead.Same().encode(mode)));
    for (CorpusTarget.Seed s : heads.subList(0, Math.min(6, heads.size()))) {
      TreeHead head = TreeHead.decode(s.bytes());
      Optional<AuditorTreeHead> auditor =
          mode == DeploymentMode.THIRD_PARTY_AUDITING
              ? Optional.of(
                  new AuditorTreeHead(head.treeSize() * 10, head.treeSize(), new byte[64]))
              : Optional.empty();
      out.add(new CorpusTarget.Seed(null, new FullTreeHead.Updated(head, auditor).encode(mode)));
    }
    return out;
  }
}
