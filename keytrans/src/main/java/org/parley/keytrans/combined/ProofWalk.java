package org.parley.keytrans.combined;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.parley.keytrans.log.HashValue;
import org.parley.keytrans.log.InvalidProofException;
import org.parley.keytrans.search.BinaryLadder;
import org.parley.keytrans.search.Distinguished;
import org.parley.keytrans.search.ImplicitSearchTree;

/**
 * One pass of the draft's algorithms over a {@link CombinedTreeProof}, shared by the log (which
 * records each timestamp and prefix proof the first time the algorithm asks for it) and the user
 * (who consumes them in the same order), as the draft's appendix "CombinedTreeProof Implementation"
 * suggests: prover and verifier cannot disagree on what goes where.
 *
 * <p>The walk remembers, for this response: each entry's timestamp (retained frontier entries are
 * known without being sent); each entry's prefix-tree root, from the first prefix proof evaluated
 * there (later proofs and retained roots must agree); which versions were proved included or absent
 * where, for omitting redundant lookups; and which ladders were provided where.
 *
 * <p>Algorithms ({@link Searches}, {@link Monitoring}, {@link LabelUpdates}) call {@link
 * #timestamp}, {@link #searchLadder}, {@link #monitoringLadder} and {@link #lookups}; the caller
 * then ends the walk with {@link #finish}.
 */
public abstract class ProofWalk {
  protected final long treeSize;
  protected final RetainedView retained;
  protected final LabelKeys keys;
  private final TreeMap<Long, Long> timestamps = new TreeMap<>();
  private final TreeMap<Long, Boolean> sent = new TreeMap<>(); // entries whose timestamp was sent
  private final Map<Long, HashValue> roots = new HashMap<>();
  private final Map<Long, Set<Long>> includedAt = new HashMap<>();
  private final Map<Long, Set<Long>> absentAt = new HashMap<>();
  private final Map<Long, Long> ladderTargets = new HashMap<>();

  protected ProofWalk(long treeSize, RetainedView retained, LabelKeys keys) {
    if (treeSize < 1) {
      throw new IllegalArgumentException("a tree head covers at least one entry");
    }
    if (retained != null && retained.treeSize() > treeSize) {
      throw new IllegalArgumentException("the retained view is newer than the tree");
    }
    this.treeSize = treeSize;
    this.retained = retained;
    this.keys = keys;
    if (retained != null) {
      retained.frontier().forEach((position, data) -> timestamps.put(position, data.timestamp()));
    }
  }

  /** The size of the tree the proof is for. */
  public long treeSize() {
    return treeSize;
  }

  /** The retained view the walk starts from, or null for a user who has seen no tree head. */
  public RetainedView retained() {
    return retained;
  }

  // ---- timestamps --------------------------------------------------------------------------

  /**
   * The timestamp of {@code x}: remembered, retained, or the next one from the proof. Every new
   * timestamp must keep the known ones monotonic in position order.
   */
  public long timestamp(long x) throws InvalidProofException {
    requirePosition(x);
    Long known = timestamps.get(x);
    if (known != null) {
      return known;
    }
    long t = fetchTimestamp(x);
    Map.Entry<Long, Long> left = timestamps.lowerEntry(x);
    Map.Entry<Long, Long> right = timestamps.higherEntry(x);
    if ((left != null && Long.compareUnsigned(left.getValue(), t) > 0)
        || (right != null && Long.compareUnsigned(t, right.getValue()) > 0)) {
      throw new InvalidProofException("timestamp of log entry " + x + " is not monotonic");
    }
    timestamps.put(x, t);
    sent.put(x, true);
    return t;
  }

  /** Whether {@code x}'s timestamp is already known (without asking for it). */
  public boolean knowsTimestamp(long x) {
    return timestamps.containsKey(x);
  }

  /** Whether {@code x} is distinguished, reading the timestamps that decision needs. */
  public boolean isDistinguished(long x, long window) throws InvalidProofException {
    try {
      return Distinguished.isDistinguished(x, treeSize, unchecked(), window);
    } catch (Unchecked e) {
      throw e.cause;
    }
  }

  /** Whether {@code x} is expired under the maximum lifetime, if the log has one. */
  public boolean isExpired(long x, java.util.OptionalLong maximumLifetime)
      throws InvalidProofException {
    try {
      return Distinguished.isExpired(x, treeSize, unchecked(), maximumLifetime);
    } catch (Unchecked e) {
      throw e.cause;
    }
  }

  /** The rightmost distinguished entry, or the root when none is distinguished. */
  public long rightmostDistinguishedOrRoot(long window) throws InvalidProofException {
    try {
      return Distinguished.rightmost(treeSize, unchecked(), window)
          .orElse(ImplicitSearchTree.root(treeSize));
    } catch (Unchecked e) {
      throw e.cause;
    }
  }

  private java.util.function.LongUnaryOperator unchecked() {
    return x -> {
      try {
        return timestamp(x);
      } catch (InvalidProofException e) {
        throw new Unchecked(e);
      }
    };
  }

  // ---- ladders -----------------------------------------------------------------------------

  /**
   * A search binary ladder for {@code target} from {@code x}; with {@code omitRedundant}, lookups
   * already proved included to the left or absent to the right in this response are not made (their
   * outcome is inferred). Always one prefix proof, even when every lookup is omitted.
   */
  public BinaryLadder.Outcome searchLadder(long x, long target, boolean omitRedundant)
      throws InvalidProofException {
    timestamp(x); // every entry with a prefix proof is bound into the log by its leaf
    beginLookups(x);
    BinaryLadder.Outcome outcome;
    try {
      outcome = BinaryLadder.compare(target, v -> ladderStep(x, v, omitRedundant));
    } catch (Unchecked e) {
      throw e.cause;
    }
    endLookups(x);
    noteLadder(x, target);
    return outcome;
  }

  /**
   * A monitoring binary ladder for {@code target} from {@code x}: every version of the ladder is
   * looked up and all must be included.
   */
  public void monitoringLadder(long x, long target) throws InvalidProofException {
    List<Long> versions = BinaryLadder.monitoring(target);
    boolean[] found = lookups(x, versions);
    for (int i = 0; i < found.length; i++) {
      if (!found[i]) {
        throw new InvalidProofException(
            "monitoring ladder at entry " + x + ": version " + versions.get(i) + " is absent");
      }
    }
    noteLadder(x, target);
  }

  /** One prefix proof from {@code x} for exactly these versions; returns which are included. */
  public boolean[] lookups(long x, List<Long> versions) throws InvalidProofException {
    timestamp(x); // every entry with a prefix proof is bound into the log by its leaf
    beginLookups(x);
    boolean[] out = new boolean[versions.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = lookupAndRemember(x, versions.get(i));
    }
    endLookups(x);
    return out;
  }

  /** The greatest target of a ladder already provided from {@code x}, or null if none was. */
  public Long ladderTarget(long x) {
    return ladderTargets.get(x);
  }

  private void noteLadder(long x, long target) {
    ladderTargets.merge(x, target, Math::max);
  }

  private boolean ladderStep(long x, long version, boolean omitRedundant) {
    if (omitRedundant) {
      if (anyBelow(includedAt.get(version), x)) {
        return true;
      }
      if (anyAbove(absentAt.get(version), x)) {
        return false;
      }
    }
    try {
      return lookupAndRemember(x, version);
    } catch (InvalidProofException e) {
      throw new Unchecked(e);
    }
  }

  private boolean lookupAndRemember(long x, long version) throws InvalidProofException {
    boolean included = lookup(x, version);
    (included ? includedAt : absentAt).computeIfAbsent(version, k -> new HashSet<>()).add(x);
    return included;
  }

  private static boolean anyBelow(Set<Long> positions, long x) {
    return positions != null && positions.stream().anyMatch(p -> p < x);
  }

  private static boolean anyAbove(Set<Long> positions, long x) {
    return positions != null && positions.stream().anyMatch(p -> p > x);
  }

  /** Records the prefix root that a proof from {@code x} produced; all must agree. */
  protected void rootFromProof(long x, HashValue root) throws InvalidProofException {
    HashValue earlier = roots.putIfAbsent(x, root);
    if (earlier != null && !earlier.equals(root)) {
      throw new InvalidProofException(
          "two prefix proofs from entry " + x + " disagree on its root");
    }
    EntryData kept = retained == null ? null : retained.entry(x);
    if (kept != null && !kept.prefixRoot().equals(root)) {
      throw new InvalidProofException(
          "prefix proof from retained entry " + x + " does not match the retained root");
    }
  }

  // ---- end of the walk ---------------------------------------------------------------------

  /**
   * The entries whose timestamps were sent in this response, ascending: the leaves the inclusion
   * proof covers.
   */
  protected List<Long> sentEntries() {
    return new ArrayList<>(sent.keySet());
  }

  /** The prefix root of a sent entry from a prefix proof, or null if none was evaluated there. */
  protected HashValue rootOf(long x) {
    return roots.get(x);
  }

  protected long knownTimestamp(long x) {
    return timestamps.get(x);
  }

  protected void requirePosition(long x) {
    if (x < 0 || x >= treeSize) {
      throw new IllegalArgumentException("entry " + x + " is not in a tree of " + treeSize);
    }
  }

  /** The next timestamp: recorded from the log's data, or consumed from the proof. */
  protected abstract long fetchTimestamp(long x) throws InvalidProofException;

  /** Starts one prefix proof from {@code x}. */
  protected abstract void beginLookups(long x) throws InvalidProofException;

  /** The next lookup of the current prefix proof: whether {@code version} is included. */
  protected abstract boolean lookup(long x, long version) throws InvalidProofException;

  /** Ends the current prefix proof (and records or checks its root). */
  protected abstract void endLookups(long x) throws InvalidProofException;

  /** Carries a verification failure through the ladder callbacks, which cannot throw it. */
  private static final class Unchecked extends RuntimeException {
    final InvalidProofException cause;

    Unchecked(InvalidProofException cause) {
      super(cause.getMessage(), null, false, false);
      this.cause = cause;
    }
  }
}
