package org.parley.bench.keytrans;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.parley.keytrans.commit.Label;
import org.parley.keytrans.message.SearchRequest;
import org.parley.keytrans.message.SearchResponse;
import org.parley.keytrans.prefix.PrefixProof;
import org.parley.keytrans.user.TrustedHead;
import org.parley.keytrans.user.UserVerifier;

/**
 * Greatest-version searches as a contact makes them, for a first-time user (no head) and a
 * returning one (a head from {@code gap} entries earlier), at several tree sizes spread over one
 * monitoring window: a proof's size depends on where the rightmost distinguished entry falls and on
 * the binary shape of the tree size, so one size alone could flatter or penalise.
 */
final class SearchFigures {
  /** The figures of one kind of user. */
  static final class Row {
    final String user;
    final Distribution responseBytes = new Distribution();
    final Distribution proofBytes = new Distribution();
    final Distribution vrfProofs = new Distribution();
    final Distribution prefixProofs = new Distribution();
    final Distribution prefixBytes = new Distribution();
    final Distribution inclusionBytes = new Distribution();
    final Distribution timestamps = new Distribution();
    final Distribution restBytes = new Distribution();
    final Distribution repeatedBytes = new Distribution();
    final Distribution repeatedLeafBytes = new Distribution();
    final Distribution timestampBytes = new Distribution();
    final Map<Long, Distribution> byGreatestVersion = new TreeMap<>();
    final Map<Integer, Distribution> byLadders = new TreeMap<>();
    final Timing.Times prove = new Timing.Times();
    final List<List<Timing.Check>> checks = new ArrayList<>();
    Timing.Times verify;

    Row(String user) {
      this.user = user;
    }
  }

  private final BenchLog world;
  private final List<Label> labels;

  SearchFigures(BenchLog world, List<Label> labels) {
    this.world = world;
    this.labels = labels;
  }

  /** Searches every label a few times at the current size (unmeasured): JIT warm-up. */
  void warmUp(int rounds) throws Exception {
    for (int i = 0; i < rounds; i++) {
      for (Label label : labels) {
        search(null, label, new Row("warm-up"));
      }
    }
  }

  /**
   * At each of {@code checkpoints} sizes, {@code spacing} entries apart: both kinds of user search
   * every label once (proof sizes, prover time), then every verification is timed.
   */
  List<Row> run(int checkpoints, int spacing, int gap, int warmup, int rounds) throws Exception {
    Row first = new Row("first-time");
    Row returning = new Row("returning (head " + gap + " entries old)");
    for (int c = 0; c < checkpoints; c++) {
      world.appendBulk(spacing - gap);
      TrustedHead retained = search(null, labels.getFirst(), new Row("head")).head();
      world.appendBulk(gap);
      for (Label label : labels) {
        search(null, label, first);
        search(retained, label, returning);
      }
    }
    Timing.settleHeap();
    for (Row row : List.of(first, returning)) {
      row.verify = Timing.time(row.checks, warmup, rounds);
    }
    return List.of(first, returning);
  }

  private UserVerifier.SearchResult search(TrustedHead head, Label label, Row row)
      throws Exception {
    OptionalLong last = head == null ? OptionalLong.empty() : OptionalLong.of(head.treeSize());
    SearchRequest request = new SearchRequest(last, label, OptionalLong.empty());
    long c0 = Timing.cpu();
    long t0 = System.nanoTime();
    SearchResponse proved = world.responder.search(request);
    row.prove.elapsed().add(System.nanoTime() - t0);
    row.prove.cpu().add(Timing.cpu() - c0);
    byte[] bytes = proved.encode(world.config);
    SearchResponse response = SearchResponse.decode(bytes, world.config, request);
    long now = world.now();
    UserVerifier.SearchResult result = world.verifier.verifySearch(head, request, response, now);
    if (result.version() != world.log.greatestVersion(label)) {
      throw new IllegalStateException("search found version " + result.version());
    }
    row.responseBytes.add(bytes.length);
    row.proofBytes.add(response.search().encode().length);
    row.vrfProofs.add(response.binaryLadder().size());
    row.prefixProofs.add(response.search().prefixProofs().size());
    row.prefixBytes.add(
        response.search().prefixProofs().stream().mapToInt(PrefixProof::encodedLength).sum());
    row.inclusionBytes.add(response.search().inclusion().encodedLength());
    row.timestamps.add(response.search().timestamps().size());
    row.restBytes.add(bytes.length - response.search().encode().length);
    row.repeatedBytes.add(repeatedElementBytes(response.search().prefixProofs()));
    row.repeatedLeafBytes.add(repeatedLeafBytes(response.search().prefixProofs()));
    row.timestampBytes.add(timestampBytes(response.search().timestamps()));
    row.byGreatestVersion
        .computeIfAbsent(result.version(), v -> new Distribution())
        .add(bytes.length);
    row.byLadders
        .computeIfAbsent(response.search().prefixProofs().size(), n -> new Distribution())
        .add(bytes.length);
    row.checks.add(List.of(() -> world.verifier.verifySearch(head, request, response, now)));
    return result;
  }

  /**
   * The bytes of prefix-proof elements whose value an earlier prefix proof of the same response
   * already carried: what the proofs repeat of each other (nodes of the tree that did not change
   * between the entries searched).
   */
  static int repeatedElementBytes(List<PrefixProof> proofs) {
    java.util.Set<org.parley.keytrans.log.HashValue> seen = new java.util.HashSet<>();
    int repeated = 0;
    for (PrefixProof p : proofs) {
      java.util.Set<org.parley.keytrans.log.HashValue> here = new java.util.HashSet<>();
      for (org.parley.keytrans.log.HashValue e : p.elements()) {
        if (seen.contains(e)) {
          repeated += e.length();
        }
        here.add(e);
      }
      seen.addAll(here);
    }
    return repeated;
  }

  /**
   * The bytes of {@code nonInclusionLeaf} leaves (64 each) that an earlier result of the same
   * response already carried: sent as indices.
   */
  static int repeatedLeafBytes(List<PrefixProof> proofs) {
    java.util.Set<org.parley.keytrans.prefix.PrefixLeaf> seen = new java.util.HashSet<>();
    int repeated = 0;
    for (PrefixProof p : proofs) {
      for (var r : p.results()) {
        if (r instanceof org.parley.keytrans.prefix.PrefixSearchResult.NonInclusionLeaf nl
            && !seen.add(nl.leaf())) {
          repeated += org.parley.keytrans.prefix.PrefixLeaf.ENCODED_LENGTH;
        }
      }
    }
    return repeated;
  }

  /** The timestamps' bytes as sent: varints of the zigzag differences (docs/spec/keytrans.md). */
  static int timestampBytes(List<Long> timestamps) {
    int bytes = 0;
    long previous = 0;
    for (long t : timestamps) {
      long delta = t - previous;
      long zigzag = (delta << 1) ^ (delta >> 63);
      bytes += Math.max(1, (64 - Long.numberOfLeadingZeros(zigzag) + 6) / 7);
      previous = t;
    }
    return bytes;
  }

  static void print(PrintStream out, List<Row> rows) {
    out.printf(
        Locale.ROOT,
        "%-31s %7s %-24s %-24s %4s %6s %-23s %-23s %-15s%n",
        "search (greatest version)",
        "samples",
        "response B p50/p99/max",
        "proof B p50/p99/max",
        "VRF",
        "prefix",
        "verify ms p50/p99/max",
        "verify cpu ms",
        "prove ms p50/p99");
    for (Row r : rows) {
      out.printf(
          Locale.ROOT,
          "%-31s %7d %-24s %-24s %4d %6d %-23s %-23s %.3f / %.3f%n",
          r.user,
          r.verify.elapsed().count(),
          r.responseBytes.bytes(),
          r.proofBytes.bytes(),
          r.vrfProofs.percentile(50),
          r.prefixProofs.percentile(50),
          r.verify.elapsed().millis(),
          r.verify.cpu().millis(),
          r.prove.elapsed().percentile(50) / 1e6,
          r.prove.elapsed().percentile(99) / 1e6);
    }
    for (Row r : rows) {
      out.printf(
          Locale.ROOT,
          "  %s, medians: %d prefix proofs of %,d B together, inclusion proof"
              + " %,d B, %d timestamps; the rest of the response (head, value, opening, %d VRF"
              + " proofs) %,d B; sent as indices: prefix-proof elements repeated from an earlier"
              + " prefix proof %,d B, nonInclusionLeaf leaves repeated %,d B; the timestamps"
              + " take %,d B (as u64: %,d B)%n",
          r.user,
          r.prefixProofs.percentile(50),
          r.prefixBytes.percentile(50),
          r.inclusionBytes.percentile(50),
          r.timestamps.percentile(50),
          r.vrfProofs.percentile(50),
          r.restBytes.percentile(50),
          r.repeatedBytes.percentile(50),
          r.repeatedLeafBytes.percentile(50),
          r.timestampBytes.percentile(50),
          8 * r.timestamps.percentile(50));
    }
    for (Row r : rows) {
      StringBuilder line =
          new StringBuilder(
              "  " + r.user + ", response B p50 (count) by the" + " label's greatest version:");
      r.byGreatestVersion.forEach(
          (v, d) ->
              line.append(
                  String.format(Locale.ROOT, " %d: %,d (%d);", v, d.percentile(50), d.count())));
      line.append(" by prefix proofs:");
      r.byLadders.forEach(
          (n, d) ->
              line.append(
                  String.format(Locale.ROOT, " %d: %,d (%d);", n, d.percentile(50), d.count())));
      out.println(line);
    }
  }
}
