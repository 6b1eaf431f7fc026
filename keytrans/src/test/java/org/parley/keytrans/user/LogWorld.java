package org.parley.keytrans.user;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.OptionalLong;
import java.util.Random;
import java.util.TreeMap;
import org.parley.keytrans.combined.LabelKeys;
import org.parley.keytrans.commit.Label;
import org.parley.keytrans.commit.UpdateValue;
import org.parley.keytrans.head.Configuration;
import org.parley.keytrans.head.ModeParameters;
import org.parley.keytrans.log.HashValue;
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
import org.parley.keytrans.operator.LogResponder;
import org.parley.keytrans.operator.PreparedVersion;
import org.parley.keytrans.operator.TransparencyLog;
import org.parley.keytrans.prefix.SearchKey;
import org.parley.keytrans.search.Distinguished;
import org.parley.keytrans.suite.CipherSuite;
import org.parley.keytrans.suite.SignatureSecretKey;
import org.parley.keytrans.vrf.VrfSecretKey;

/**
 * A log operator and its users driven through the real messages (encoded and decoded on every
 * call), for property tests: an owner who watches its label and a contact who looks it up.
 */
final class LogWorld {
  final Random random;
  final SecureRandom secure;
  final Configuration config;
  final TransparencyLog log;
  final LogResponder responder;
  final UserVerifier verifier;
  final SignatureSecretKey signingKey;
  long clock = 1_000;

  LogWorld(long seed, CipherSuite suite, long window, OptionalLong lifetime) {
    random = new Random(seed);
    secure = new SecureRandom(); // only for openings and keys; the shape follows the seed
    SignatureSecretKey signing = suite.signatureScheme().generateSecretKey(secure);
    VrfSecretKey vrf = suite.vrf().generateSecretKey(secure);
    config =
        new Configuration(
            suite,
            suite.signatureScheme().publicKey(signing),
            suite.vrf().publicKey(vrf),
            new ModeParameters.ContactMonitoring(),
            1_000_000,
            1_000_000,
            window,
            lifetime);
    log = new TransparencyLog(config, signing, vrf);
    signingKey = signing;
    responder = new LogResponder(log);
    verifier = new UserVerifier(config);
  }

  static Label label(String name) {
    return new Label(name.getBytes(StandardCharsets.UTF_8));
  }

  /** Appends one entry with {@code count} new versions of each label in {@code labels}. */
  long epoch(Map<Label, Integer> labels) {
    clock += random.nextInt(25);
    List<PreparedVersion> versions = new ArrayList<>();
    labels.forEach(
        (label, count) -> {
          long next = log.greatestVersion(label) + 1;
          for (int i = 0; i < count; i++) {
            byte[] value =
                (new String(label.bytes(), StandardCharsets.UTF_8) + "#" + (next + i))
                    .getBytes(StandardCharsets.UTF_8);
            versions.add(log.prepare(label, next + i, UpdateValue.of(value), secure));
          }
        });
    return log.appendEpoch(clock, versions, true);
  }

  OptionalLong last(TrustedHead head) {
    return head == null ? OptionalLong.empty() : OptionalLong.of(head.treeSize());
  }

  /** A user who looks labels up and monitors what it saw. */
  final class Contact {
    TrustedHead head;
    final NavigableMap<Long, Long> map = new TreeMap<>();
    final Map<Long, SearchKey> keys = new HashMap<>();
    final Map<Long, HashValue> commitments = new HashMap<>();
    final Label label;

    Contact(Label label) {
      this.label = label;
    }

    UserVerifier.SearchResult search(OptionalLong version) throws Exception {
      SearchRequest request =
          SearchRequest.decode(new SearchRequest(last(head), label, version).encode());
      SearchResponse response =
          SearchResponse.decode(responder.search(request).encode(config), config, request);
      UserVerifier.SearchResult result = verifier.verifySearch(head, request, response, clock);
      head = TrustedHead.decode(result.head().encode()); // what a client stores and reads back
      keys.putAll(result.searchKeys());
      commitments.putAll(result.commitments());
      if (version.isEmpty()
          && result.terminal().mustMonitor()
          && !map.containsValue(result.version())) {
        map.merge(result.terminal().position(), result.version(), Math::max);
      }
      return result;
    }

    void monitor() throws Exception {
      ContactMonitorRequest request =
          ContactMonitorRequest.decode(
              new ContactMonitorRequest(last(head), label, entries(map)).encode());
      MonitorResponse response =
          MonitorResponse.decode(responder.contactMonitor(request).encode(config), config);
      UserVerifier.Monitored result =
          verifier.verifyContactMonitor(
              head, request, response, labelKeys(keys, commitments), clock);
      head = result.head();
      map.clear();
      map.putAll(result.map());
    }
  }

  /** The label's owner: initialises at a distinguished entry, learns versions, monitors. */
  final class Owner {
    TrustedHead head;
    final Label label;
    long start = -1;
    long greatest = -1;
    OptionalLong knownAt = OptionalLong.empty();
    final NavigableMap<Long, Long> insertedAt = new TreeMap<>();
    final NavigableMap<Long, Long> map = new TreeMap<>();
    final Map<Long, SearchKey> keys = new HashMap<>();
    final Map<Long, HashValue> commitments = new HashMap<>();
    final List<UpdateValue> seen = new ArrayList<>();

    Owner(Label label) {
      this.label = label;
    }

    boolean initialised() {
      return start >= 0;
    }

    void init() throws Exception {
      long n = log.size();
      long s =
          Distinguished.rightmost(n, log::timestamp, config.reasonableMonitoringWindow())
              .orElseThrow();
      OwnerInitRequest request =
          OwnerInitRequest.decode(new OwnerInitRequest(last(head), label, s).encode());
      OwnerInitResponse response =
          OwnerInitResponse.decode(responder.ownerInit(request).encode(config), config);
      UserVerifier.OwnerInitResult result =
          verifier.verifyOwnerInit(head, request, response, clock);
      head = result.head();
      start = s;
      keys.putAll(result.searchKeys());
      commitments.putAll(result.commitments());
      if (!result.greatestVersions().isEmpty()) {
        greatest = result.greatestVersions().getFirst();
        knownAt = OptionalLong.of(s); // at or before the start; only "<= start" matters
        insertedAt.put(s, greatest);
      }
    }

    /** Learns every version after {@code greatest}; returns how many it learned. */
    int learn() throws Exception {
      int learned = 0;
      while (log.greatestVersion(label) > greatest) {
        UpdateRequest request =
            UpdateRequest.decode(
                new UpdateRequest(
                        last(head),
                        label,
                        greatest < 0 ? OptionalLong.empty() : OptionalLong.of(greatest),
                        List.of())
                    .encode());
        UpdateResponse response =
            UpdateResponse.decode(responder.update(request).orElseThrow().encode(config), config);
        UserVerifier.UpdateResult result =
            verifier.verifyUpdate(
                head, request, response, knownAt, start, labelKeys(keys, commitments), clock);
        head = result.head();
        keys.putAll(result.searchKeys());
        for (int i = 0; i < result.values().size(); i++) {
          long v = result.firstVersion() + i;
          seen.add(result.values().get(i));
          commitments.put(
              v,
              HashValue.of(
                  org.parley.keytrans.commit.Commitments.commit(
                          config.suite(), response.info().get(i), label, v, result.values().get(i))
                      .bytes()));
        }
        greatest = result.result().newGreatest();
        knownAt = OptionalLong.of(result.position());
        insertedAt.put(result.position(), greatest);
        if (result.result().monitorFromPosition() && !map.containsValue(greatest)) {
          map.merge(result.position(), greatest, Math::max);
        }
        learned += result.values().size();
      }
      return learned;
    }

    void monitor() throws Exception {
      OwnerMonitorRequest request =
          OwnerMonitorRequest.decode(
              new OwnerMonitorRequest(
                      last(head),
                      label,
                      entries(map),
                      start,
                      greatest < 0 ? OptionalLong.empty() : OptionalLong.of(greatest))
                  .encode());
      MonitorResponse response =
          MonitorResponse.decode(responder.ownerMonitor(request).encode(config), config);
      UserVerifier.OwnerMonitored result =
          verifier.verifyOwnerMonitor(
              head, request, response, insertedAt, labelKeys(keys, commitments), clock);
      head = result.head();
      start = result.start();
      map.clear();
      map.putAll(result.map());
    }
  }

  static List<MonitorMapEntry> entries(NavigableMap<Long, Long> map) {
    return map.entrySet().stream().map(e -> new MonitorMapEntry(e.getKey(), e.getValue())).toList();
  }

  static LabelKeys labelKeys(Map<Long, SearchKey> keys, Map<Long, HashValue> commitments) {
    return LabelKeys.of(keys, commitments);
  }
}
