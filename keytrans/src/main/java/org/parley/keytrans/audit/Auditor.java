package org.parley.keytrans.audit;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongUnaryOperator;
import org.parley.keytrans.head.AuditorTreeHead;
import org.parley.keytrans.head.AuditorTreeHeads;
import org.parley.keytrans.head.Configuration;
import org.parley.keytrans.head.DeploymentMode;
import org.parley.keytrans.log.FullSubtrees;
import org.parley.keytrans.log.HashValue;
import org.parley.keytrans.log.InvalidProofException;
import org.parley.keytrans.log.LogEntry;
import org.parley.keytrans.log.LogTreeHash;
import org.parley.keytrans.prefix.PrefixLeaf;
import org.parley.keytrans.prefix.PrefixOccupancy;
import org.parley.keytrans.prefix.PrefixSearchResult;
import org.parley.keytrans.prefix.PrefixTransition;
import org.parley.keytrans.prefix.SearchKey;
import org.parley.keytrans.suite.CipherSuite;
import org.parley.keytrans.suite.SignatureSecretKey;

/**
 * The Third-Party Auditor (draft "Third Parties / Auditing"), starting from the empty log: it
 * checks one {@link AuditorUpdate} per log entry, in order, and signs auditor tree heads for what
 * it has checked.
 *
 * <p>State: the log's size, its full subtrees (enough for the next root), the last prefix tree
 * root, every entry's timestamp (step 5 reads timestamps along one search path, which may be any
 * entry), and for every key in the prefix tree the entry that last added it. The key set also
 * answers the prefix tree's shape questions that a proof cannot (see {@link PrefixOccupancy}). The
 * auditor holds no tree. Not thread-safe; a refused update leaves the state as it was.
 */
public final class Auditor {
  private final Configuration config;
  private final CipherSuite suite;
  private final LogTreeHash hash = LogTreeHash.SHA256; // the hash of both suites
  private final LongList timestamps = new LongList();
  private final NavigableMap<SearchKey, Long> addedAt = new TreeMap<>();
  private FullSubtrees fullSubtrees; // null while the log is empty
  private HashValue root; // null while the log is empty
  private HashValue prefixRoot = HashValue.of(new byte[CipherSuite.NH]);

  /**
   * An auditor of the empty log of {@code config}.
   *
   * <p>Parley runs its log in contact-monitoring mode and lets anyone audit it as an independent
   * auditor (docs/spec/keytrans.md, "Auditing"), so that mode is accepted too.
   *
   * @throws IllegalArgumentException if the configuration is third-party management
   */
  public Auditor(Configuration config) {
    this.config = Objects.requireNonNull(config, "config");
    if (config.mode() == DeploymentMode.THIRD_PARTY_MANAGEMENT) {
      throw new IllegalArgumentException("a third-party-managed log is not audited this way");
    }
    this.suite = config.suite();
    if (suite.hashLength() != hash.nh()) {
      throw new IllegalArgumentException("suite hash is not SHA-256");
    }
  }

  /** The number of log entries accepted. */
  public long treeSize() {
    return timestamps.size();
  }

  /** The prefix tree root of the last accepted entry; all zeros before the first. */
  public HashValue prefixRoot() {
    return prefixRoot;
  }

  /** The log tree root, empty before the first entry. */
  public Optional<HashValue> root() {
    return Optional.ofNullable(root);
  }

  /** The log tree's full subtrees, empty before the first entry. */
  public Optional<FullSubtrees> fullSubtrees() {
    return Optional.ofNullable(fullSubtrees);
  }

  /** The last accepted entry's timestamp, empty before the first. */
  public OptionalLong lastTimestamp() {
    long n = timestamps.size();
    return n == 0 ? OptionalLong.empty() : OptionalLong.of(timestamps.get(n - 1));
  }

  /**
   * Runs steps 1 to 7 on the update for the next log entry and, if all pass, takes the entry in.
   *
   * @return the accepted entry with the new log size and root
   * @throws AuditException naming the failed step; the state is unchanged
   */
  public AuditedEntry process(AuditorUpdate update) throws AuditException {
    long position = timestamps.size();
    long timestamp = update.timestamp();
    List<PrefixLeaf> added = update.added();
    List<PrefixLeaf> removed = update.removed();

    // Step 1. Timestamps are unsigned 64-bit values on the wire.
    if (position > 0 && Long.compareUnsigned(timestamp, timestamps.get(position - 1)) < 0) {
      throw new AuditException(
          1,
          "timestamp "
              + Long.toUnsignedString(timestamp)
              + " is before the previous entry's "
              + Long.toUnsignedString(timestamps.get(position - 1)));
    }
    // Step 2.
    requireAscending(added, "added");
    requireAscending(removed, "removed");
    // Steps 3 and 4.
    List<PrefixSearchResult> results = update.proof().results();
    if (results.size() != added.size() + removed.size()) {
      throw new AuditException(
          3,
          "the proof has "
              + results.size()
              + " results for "
              + added.size()
              + " added and "
              + removed.size()
              + " removed leaves");
    }
    Set<SearchKey> removedKeys = new HashSet<>();
    removed.forEach(leaf -> removedKeys.add(leaf.vrfOutput()));
    for (int i = 0; i < added.size(); i++) {
      SearchKey key = added.get(i).vrfOutput();
      if (!removedKeys.contains(key) && results.get(i) instanceof PrefixSearchResult.Inclusion) {
        throw new AuditException(3, "added leaf " + key + " has an inclusion result");
      }
    }
    for (int i = 0; i < removed.size(); i++) {
      if (!(results.get(added.size() + i) instanceof PrefixSearchResult.Inclusion)) {
        throw new AuditException(
            4, "removed leaf " + removed.get(i).vrfOutput() + " has a non-inclusion result");
      }
    }
    // Step 5, judged in the log that includes the new entry.
    LongUnaryOperator time = x -> x == position ? timestamp : timestamps.get(x);
    checkPublished(removed, position, time);
    // Step 6.
    PrefixTransition transition;
    try {
      transition = PrefixTransition.of(suite, added, removed, update.proof());
    } catch (InvalidProofException e) {
      throw new AuditException(6, "the proof does not hold: " + e.getMessage());
    }
    if (!transition.previousRoot().equals(prefixRoot)) {
      throw new AuditException(
          6,
          "the proof is for prefix root "
              + transition.previousRoot()
              + ", not the previous entry's "
              + prefixRoot);
    }
    // Step 7.
    HashValue newPrefixRoot;
    try {
      newPrefixRoot = transition.newRoot(PrefixOccupancy.of(addedAt.navigableKeySet()));
    } catch (InvalidProofException e) {
      throw new AuditException(7, "no new prefix root: " + e.getMessage());
    }
    HashValue leaf = hash.leafValue(new LogEntry(timestamp, newPrefixRoot));
    FullSubtrees next =
        fullSubtrees == null ? new FullSubtrees(1, List.of(leaf)) : fullSubtrees.append(hash, leaf);
    HashValue nextRoot = next.root(hash);

    // Every check passed: only now does the state change.
    removed.forEach(l -> addedAt.remove(l.vrfOutput()));
    added.forEach(l -> addedAt.put(l.vrfOutput(), position));
    timestamps.add(timestamp);
    fullSubtrees = next;
    root = nextRoot;
    prefixRoot = newPrefixRoot;
    return new AuditedEntry(position + 1, timestamp, newPrefixRoot, nextRoot);
  }

  /**
   * Step 8: the auditor tree head for everything accepted so far, with the last entry's timestamp.
   *
   * @throws IllegalStateException before the first entry (a log of size zero has no root)
   * @throws IllegalArgumentException if the key is not behind {@code auditor_public_key}
   */
  public AuditorTreeHead sign(SignatureSecretKey auditorKey) {
    if (root == null) {
      throw new IllegalStateException("no log entry accepted yet");
    }
    return config.mode() == DeploymentMode.THIRD_PARTY_AUDITING
        ? AuditorTreeHeads.sign(auditorKey, config, lastTimestamp().orElseThrow(), treeSize(), root)
        : AuditorTreeHeads.signIndependent(
            auditorKey, config, lastTimestamp().orElseThrow(), treeSize(), root);
  }

  private static void requireAscending(List<PrefixLeaf> leaves, String what) throws AuditException {
    for (int i = 1; i < leaves.size(); i++) {
      int order = leaves.get(i - 1).vrfOutput().compareTo(leaves.get(i).vrfOutput());
      if (order >= 0) {
        throw new AuditException(
            2,
            what
                + " leaves "
                + (i - 1)
                + " and "
                + i
                + (order == 0 ? " repeat a vrf_output" : " are out of order"));
      }
    }
  }

  /** Step 5: every removed leaf was in a distinguished entry of [added position, position - 1]. */
  private void checkPublished(List<PrefixLeaf> removed, long position, LongUnaryOperator time)
      throws AuditException {
    long window = config.reasonableMonitoringWindow();
    Map<Long, Boolean> byAddedPosition = new HashMap<>();
    for (PrefixLeaf leaf : removed) {
      Long added = addedAt.get(leaf.vrfOutput());
      if (added == null) {
        throw new AuditException(5, "removed leaf " + leaf.vrfOutput() + " was never added");
      }
      boolean published =
          byAddedPosition.computeIfAbsent(
              added, a -> RemovalWindow.publishedInDistinguished(a, position + 1, time, window));
      if (!published) {
        throw new AuditException(
            5,
            "removed leaf "
                + leaf.vrfOutput()
                + ", added in entry "
                + added
                + ", is in no distinguished entry before entry "
                + position);
      }
    }
  }
}
