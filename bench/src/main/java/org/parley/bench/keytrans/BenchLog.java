package org.parley.bench.keytrans;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import org.parley.keytrans.commit.Label;
import org.parley.keytrans.commit.UpdateValue;
import org.parley.keytrans.head.Configuration;
import org.parley.keytrans.head.ModeParameters;
import org.parley.keytrans.log.HashValue;
import org.parley.keytrans.operator.LogResponder;
import org.parley.keytrans.operator.PreparedVersion;
import org.parley.keytrans.operator.TransparencyLog;
import org.parley.keytrans.prefix.PrefixLeaf;
import org.parley.keytrans.prefix.SearchKey;
import org.parley.keytrans.suite.CipherSuite;
import org.parley.keytrans.suite.SignatureSecretKey;
import org.parley.keytrans.user.UserVerifier;
import org.parley.keytrans.vrf.VrfSecretKey;

/**
 * The log under test, configured as Parley's server runs it (docs/spec/keytrans.md, "Parley's
 * log"): KT_128_SHA256_Ed25519, contact-monitoring mode, {@code max_ahead} 5 minutes, {@code
 * max_behind} 10 minutes, no maximum lifetime; the window and the time between entries are the
 * caller's. Most of its labels are bulk leaves: uniformly random 32-byte search keys and
 * commitments spread evenly over the entries, added as the stray leaves of {@link
 * TransparencyLog#stage(long, List, boolean, List, List)} (leaves that belong to no label version),
 * since a VRF proof per label would take hours at 10^7; the prefix tree's shape depends only on the
 * keys being uniform, which VRF outputs are. The labels that are searched and monitored are real:
 * VRF-proved versions with commitments, through the operator's own path.
 */
final class BenchLog {
  /** The first entry's time (2026-09-21); only differences between timestamps matter. */
  static final long START = 1_790_000_000_000L;

  /** Parley's defaults: the newest entry may be 5 minutes ahead of the client's clock ... */
  static final long MAX_AHEAD = 5 * 60_000L;

  /** ... and 10 minutes behind it. */
  static final long MAX_BEHIND = 10 * 60_000L;

  /** An update value about the size of a device list with three identity keys. */
  static final int VALUE_BYTES = 128;

  final Configuration config;
  final TransparencyLog log;
  final LogResponder responder;
  final UserVerifier verifier;
  final SecureRandom secure = new SecureRandom();
  final long interval;
  private final SplittableRandom random;
  private final long labels;
  private final long entries;
  private long clock = START - 1;
  private long bulkLeaves;

  /**
   * @param labels bulk leaves over the first {@code entries} entries (later entries get the same
   *     share each)
   */
  BenchLog(long labels, long entries, long intervalMillis, long windowMillis, long seed) {
    CipherSuite suite = CipherSuite.KT_128_SHA256_Ed25519;
    SignatureSecretKey signing = suite.signatureScheme().generateSecretKey(secure);
    VrfSecretKey vrf = suite.vrf().generateSecretKey(secure);
    config =
        new Configuration(
            suite,
            suite.signatureScheme().publicKey(signing),
            suite.vrf().publicKey(vrf),
            new ModeParameters.ContactMonitoring(),
            MAX_AHEAD,
            MAX_BEHIND,
            windowMillis,
            OptionalLong.empty());
    log = new TransparencyLog(config, signing, vrf);
    responder = new LogResponder(log);
    verifier = new UserVerifier(config);
    this.labels = labels;
    this.entries = entries;
    this.interval = intervalMillis;
    this.random = new SplittableRandom(seed);
  }

  static Label label(String name) {
    return new Label(name.getBytes(StandardCharsets.UTF_8));
  }

  /** The time of the next entry, one interval after the newest. */
  long nextTimestamp() {
    clock = log.size() == 0 ? START : clock + interval;
    return clock;
  }

  /** The client's clock when it checks a response: a second after the newest entry. */
  long now() {
    return clock + 1_000;
  }

  /** Bulk leaves added so far. */
  long bulkLeaves() {
    return bulkLeaves;
  }

  /** Appends the next entry, signed: its share of bulk leaves, and {@code versions}. */
  long append(List<PreparedVersion> versions) {
    long position = log.size();
    int count = (int) ((position + 1) * labels / entries - position * labels / entries);
    List<PrefixLeaf> leaves = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      byte[] key = new byte[SearchKey.LENGTH];
      byte[] commitment = new byte[32];
      random.nextBytes(key);
      random.nextBytes(commitment);
      leaves.add(new PrefixLeaf(SearchKey.of(key), HashValue.of(commitment)));
    }
    bulkLeaves += count;
    return log.commit(log.stage(nextTimestamp(), versions, true, leaves, List.of()));
  }

  /** Appends {@code count} entries with bulk leaves only. */
  void appendBulk(int count) {
    for (int i = 0; i < count; i++) {
      append(List.of());
    }
  }

  /** Version {@code log.greatestVersion(label) + 1} of {@code label}: VRF proof and commitment. */
  PreparedVersion prepareNext(Label label) {
    return prepare(label, log.greatestVersion(label) + 1);
  }

  PreparedVersion prepare(Label label, long version) {
    return log.prepare(label, version, value(), secure);
  }

  /** A random update value of {@link #VALUE_BYTES}. */
  UpdateValue value() {
    byte[] value = new byte[VALUE_BYTES];
    secure.nextBytes(value);
    return UpdateValue.of(value);
  }
}
