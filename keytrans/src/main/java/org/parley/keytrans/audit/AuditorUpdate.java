package org.parley.keytrans.audit;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.parley.keytrans.log.HashValue;
import org.parley.keytrans.log.MalformedEncodingException;
import org.parley.keytrans.prefix.PrefixLeaf;
import org.parley.keytrans.prefix.PrefixProof;
import org.parley.keytrans.prefix.PrefixTree;
import org.parley.keytrans.prefix.SearchKey;
import org.parley.keytrans.suite.CipherSuite;
import org.parley.keytrans.tls.TlsReader;
import org.parley.keytrans.tls.TlsWriter;

/**
 * The draft's {@code AuditorUpdate} (section "Third Parties / Auditing"): what the Service Operator
 * sends the auditor for each new log entry.
 *
 * <pre>
 * struct {
 *   uint64 timestamp;
 *   PrefixLeaf added&lt;0..2^16-1&gt;;
 *   PrefixLeaf removed&lt;0..2^16-1&gt;;
 *   PrefixProof proof;
 * } AuditorUpdate;
 * </pre>
 *
 * <p>Encoded as the 8-byte timestamp, for each list a 2-byte count of leaves then 64 bytes per leaf
 * ({@code vrf_output || commitment}), then the {@link PrefixProof}. The decoder checks the
 * structure only; ordering and the proof are the auditor's steps, so that a well-formed but wrong
 * update is refused with the step that catches it.
 *
 * @param timestamp the new log entry's timestamp, raw 64 bits
 * @param added the leaves the entry adds
 * @param removed the leaves the entry removes
 * @param proof a search in the previous entry's prefix tree for each added key, in order, then each
 *     removed key
 */
public record AuditorUpdate(
    long timestamp, List<PrefixLeaf> added, List<PrefixLeaf> removed, PrefixProof proof) {
  /** The most leaves a {@code <0..2^16-1>} vector holds. */
  public static final int MAX_LEAVES = 0xFFFF;

  public AuditorUpdate {
    added = List.copyOf(added);
    removed = List.copyOf(removed);
    Objects.requireNonNull(proof, "proof");
    if (added.size() > MAX_LEAVES || removed.size() > MAX_LEAVES) {
      throw new IllegalArgumentException("more than " + MAX_LEAVES + " leaves in a list");
    }
  }

  /**
   * The operator's update for a new entry at {@code timestamp} that adds {@code added} and removes
   * the leaves under {@code removed} from {@code previous}: both lists sorted by {@code
   * vrf_output}, the removed commitments taken from {@code previous}, and the proof from it.
   *
   * @throws IllegalArgumentException if a key repeats within a list, a removed key is absent, an
   *     added key is present without being removed, or there are more than 255 keys (the most a
   *     {@code PrefixProof} answers)
   */
  public static AuditorUpdate build(
      PrefixTree previous,
      long timestamp,
      Collection<PrefixLeaf> added,
      Collection<SearchKey> removed) {
    List<SearchKey> gone = removed.stream().sorted().toList();
    List<PrefixLeaf> goneLeaves = new ArrayList<>(gone.size());
    for (SearchKey key : gone) {
      HashValue commitment =
          previous
              .get(key)
              .orElseThrow(() -> new IllegalArgumentException("removed key is absent: " + key));
      goneLeaves.add(new PrefixLeaf(key, commitment));
    }
    List<PrefixLeaf> adds =
        added.stream().sorted(Comparator.comparing(PrefixLeaf::vrfOutput)).toList();
    Set<SearchKey> goneSet = new HashSet<>(gone);
    requireDistinct(gone);
    requireDistinct(adds.stream().map(PrefixLeaf::vrfOutput).toList());
    for (PrefixLeaf leaf : adds) {
      if (!goneSet.contains(leaf.vrfOutput()) && previous.get(leaf.vrfOutput()).isPresent()) {
        throw new IllegalArgumentException("added key is present: " + leaf.vrfOutput());
      }
    }
    List<SearchKey> keys = new ArrayList<>(adds.size() + gone.size());
    adds.forEach(leaf -> keys.add(leaf.vrfOutput()));
    keys.addAll(gone);
    return new AuditorUpdate(timestamp, adds, goneLeaves, previous.prove(keys));
  }

  /** The operator's next prefix tree: {@code previous} with this update's change. */
  public PrefixTree applyTo(PrefixTree previous) {
    Map<SearchKey, HashValue> adds = new HashMap<>();
    added.forEach(leaf -> adds.put(leaf.vrfOutput(), leaf.commitment()));
    Set<SearchKey> gone = new HashSet<>();
    removed.forEach(leaf -> gone.add(leaf.vrfOutput()));
    return previous.apply(adds, gone);
  }

  /** The TLS-presentation encoding. */
  public byte[] encode() {
    TlsWriter out = new TlsWriter().u64(timestamp);
    writeLeaves(out, added);
    writeLeaves(out, removed);
    return out.fixed(proof.encode()).toByteArray();
  }

  /** Decodes exactly one {@code AuditorUpdate}; trailing bytes are rejected. */
  public static AuditorUpdate decode(byte[] encoded) throws MalformedEncodingException {
    if (encoded == null) {
      throw new MalformedEncodingException("no bytes");
    }
    TlsReader in = new TlsReader(encoded);
    long timestamp = in.u64();
    List<PrefixLeaf> added = readLeaves(in, "added");
    List<PrefixLeaf> removed = readLeaves(in, "removed");
    // The proof is the last field: it must take up exactly the rest.
    PrefixProof proof = PrefixProof.decode(in.fixed(in.remaining()));
    in.end();
    return new AuditorUpdate(timestamp, added, removed, proof);
  }

  private static void writeLeaves(TlsWriter out, List<PrefixLeaf> leaves) {
    out.u16(leaves.size());
    for (PrefixLeaf leaf : leaves) {
      out.fixed(leaf.vrfOutput().toByteArray()).fixed(leaf.commitment().toByteArray());
    }
  }

  private static List<PrefixLeaf> readLeaves(TlsReader in, String what)
      throws MalformedEncodingException {
    int count = in.u16();
    if ((long) count * PrefixLeaf.ENCODED_LENGTH > in.remaining()) {
      throw new MalformedEncodingException(
          "truncated " + what + ": " + count + " leaves, " + in.remaining() + " bytes remain");
    }
    List<PrefixLeaf> leaves = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      SearchKey key = SearchKey.of(in.fixed(SearchKey.LENGTH));
      leaves.add(new PrefixLeaf(key, HashValue.of(in.fixed(CipherSuite.NH))));
    }
    return leaves;
  }

  private static void requireDistinct(List<SearchKey> sorted) {
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i - 1).equals(sorted.get(i))) {
        throw new IllegalArgumentException("key listed twice: " + sorted.get(i));
      }
    }
  }
}
