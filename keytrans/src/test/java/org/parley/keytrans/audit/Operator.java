package org.parley.keytrans.audit;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.function.LongUnaryOperator;
import org.parley.keytrans.head.Configuration;
import org.parley.keytrans.head.ModeParameters;
import org.parley.keytrans.log.HashValue;
import org.parley.keytrans.log.LogEntry;
import org.parley.keytrans.log.LogTree;
import org.parley.keytrans.log.LogTreeHash;
import org.parley.keytrans.prefix.PrefixLeaf;
import org.parley.keytrans.prefix.PrefixTree;
import org.parley.keytrans.prefix.SearchKey;
import org.parley.keytrans.search.Distinguished;
import org.parley.keytrans.suite.CipherSuite;
import org.parley.keytrans.suite.SignatureScheme;
import org.parley.keytrans.suite.SignatureSecretKey;

/**
 * The Service Operator's side as a test model: the whole prefix tree and log tree, and when each
 * key was added. Step 5 is decided here by brute force over every distinguished entry.
 */
final class Operator {
  final Configuration config;
  final SignatureSecretKey auditorKey;
  PrefixTree prefix;
  final LogTree log = new LogTree(LogTreeHash.SHA256);
  final List<Long> timestamps = new ArrayList<>();
  final Map<SearchKey, Long> addedAt = new HashMap<>();

  Operator(CipherSuite suite, long window) {
    SecureRandom random = new SecureRandom(new byte[] {7});
    SignatureScheme scheme = suite.signatureScheme();
    this.auditorKey = scheme.generateSecretKey(random);
    this.config =
        new Configuration(
            suite,
            scheme.publicKey(scheme.generateSecretKey(random)),
            suite.vrf().publicKey(suite.vrf().generateSecretKey(random)),
            new ModeParameters.ThirdPartyAuditing(60_000, 0, scheme.publicKey(auditorKey)),
            1000,
            2000,
            window,
            OptionalLong.empty());
    this.prefix = PrefixTree.empty(suite);
  }

  long size() {
    return timestamps.size();
  }

  long lastTimestamp() {
    return timestamps.get(timestamps.size() - 1);
  }

  /** The honest update for the next entry, without taking it in. */
  AuditorUpdate update(
      long timestamp, Collection<PrefixLeaf> added, Collection<SearchKey> removed) {
    return AuditorUpdate.build(prefix, timestamp, added, removed);
  }

  /** Takes in an entry the auditor accepted. */
  void commit(AuditorUpdate update) {
    long position = size();
    prefix = update.applyTo(prefix);
    update.removed().forEach(l -> addedAt.remove(l.vrfOutput()));
    update.added().forEach(l -> addedAt.put(l.vrfOutput(), position));
    timestamps.add(update.timestamp());
    log.append(new LogEntry(update.timestamp(), prefix.root()));
  }

  AuditorUpdate next(long timestamp, Collection<PrefixLeaf> added, Collection<SearchKey> removed) {
    AuditorUpdate u = update(timestamp, added, removed);
    commit(u);
    return u;
  }

  /**
   * Whether {@code key}'s leaf was in some distinguished entry between its addition and the new
   * entry at {@code timestamp} that would remove it, over every distinguished entry.
   */
  boolean removable(SearchKey key, long timestamp) {
    long n = size();
    long added = addedAt.get(key);
    LongUnaryOperator time = x -> x == n ? timestamp : timestamps.get((int) x);
    for (long d : Distinguished.all(n + 1, time, config.reasonableMonitoringWindow())) {
      if (d >= added && d <= n - 1) {
        return true;
      }
    }
    return false;
  }

  static SearchKey randomKey(Random random, Collection<SearchKey> near) {
    byte[] k = new byte[32];
    random.nextBytes(k);
    if (!near.isEmpty() && random.nextInt(3) == 0) {
      // Share a prefix with an existing key, so paths get deep and leaves get siblings.
      byte[] base =
          near.stream().skip(random.nextInt(near.size())).findFirst().orElseThrow().toByteArray();
      System.arraycopy(base, 0, k, 0, random.nextInt(4));
    }
    return SearchKey.of(k);
  }

  static HashValue randomCommitment(Random random) {
    byte[] c = new byte[32];
    random.nextBytes(c);
    return HashValue.of(c);
  }

  static PrefixLeaf randomLeaf(Random random, Collection<SearchKey> near) {
    return new PrefixLeaf(randomKey(random, near), randomCommitment(random));
  }
}
