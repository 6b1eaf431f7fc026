package org.parley.keytrans.fuzz;

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
import java.util.function.Function;
import org.parley.keytrans.combined.LabelKeys;
import org.parley.keytrans.commit.Commitments;
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
import org.parley.keytrans.operator.LogRequestException;
import org.parley.keytrans.operator.LogResponder;
import org.parley.keytrans.operator.PreparedVersion;
import org.parley.keytrans.operator.TransparencyLog;
import org.parley.keytrans.prefix.SearchKey;
import org.parley.keytrans.search.Distinguished;
import org.parley.keytrans.suite.CipherSuite;
import org.parley.keytrans.user.TrustedHead;
import org.parley.keytrans.user.UserVerifier;

/**
 * An honest log with a contact and the label's owner, run like the property tests' world but fully
 * determined by its seed. Every response a user verifies is kept as a {@link Scenario}: the honest
 * bytes, a closure that decodes and verifies any bytes in exactly the user's state of that moment,
 * and the meaning of the honest result, which a mutated response must either match or fail.
 */
final class HonestWorld {

  /** Decodes and verifies response bytes for one frozen user state. */
  interface Check {
    Object apply(byte[] response) throws Exception;
  }

  /** Re-encodes a decoded response (for the decoders' round trip). */
  interface Encode {
    byte[] apply(Object decoded);
  }

  /**
   * One verified response.
   *
   * @param op which user operation (verifySearch, verifyContactMonitor, ...)
   * @param decode the response decoder alone, in this request's context
   * @param check decode then verify, in the user's state
   * @param meaning what the user learns from a result
   */
  record Scenario(
      String op,
      byte[] honest,
      Check decode,
      Encode encode,
      Check check,
      Function<Object, Object> meaning,
      Object honestMeaning) {}

  /** An encoded request, for the request decoders' corpus. */
  record Request(String kind, byte[] bytes) {}

  final List<Scenario> scenarios = new ArrayList<>();
  final List<Request> requests = new ArrayList<>();

  /** Every head a user came to trust, encoded as a client stores it. */
  final List<byte[]> trustedHeads = new ArrayList<>();

  final Random random;
  final SecureRandom secure;
  final Configuration config;
  final TransparencyLog log;
  final LogResponder responder;
  final UserVerifier verifier;
  long clock = 1_000;

  HonestWorld(long seed, CipherSuite suite, long window, OptionalLong lifetime) {
    random = new Random(seed);
    secure = new DeterministicRandom(seed ^ 0x5DEECE66DL);
    var signing = suite.signatureScheme().generateSecretKey(secure);
    var vrf = suite.vrf().generateSecretKey(secure);
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
    responder = new LogResponder(log);
    verifier = new UserVerifier(config);
  }

  static Label label(String name) {
    return new Label(name.getBytes(StandardCharsets.UTF_8));
  }

  /** Runs a random history of {@code epochs} entries, the users acting in between. */
  HonestWorld run(int epochs) throws Exception {
    Label bob = label("bob");
    Contact alice = new Contact(bob);
    Owner owner = new Owner(bob);
    for (int i = 0; i < epochs; i++) {
      Map<Label, Integer> updates = new HashMap<>();
      if (random.nextInt(3) == 0) {
        updates.put(bob, 1 + (random.nextInt(6) == 0 ? random.nextInt(4) : 0));
      }
      if (random.nextBoolean()) {
        updates.put(label("carol"), 1);
      }
      epoch(updates);
      if (!owner.initialised() && random.nextInt(4) == 0) {
        owner.init();
      }
      if (owner.initialised() && random.nextBoolean()) {
        owner.learn();
        owner.monitor();
      }
      long greatest = log.greatestVersion(bob);
      if (greatest >= 0 && random.nextInt(3) == 0) {
        alice.search(OptionalLong.empty());
      }
      if (greatest >= 0 && random.nextInt(4) == 0) {
        try {
          alice.search(OptionalLong.of(random.nextLong(greatest + 1)));
        } catch (LogRequestException expired) {
          // past the maximum lifetime the log refuses the search: nothing to verify
        }
      }
      if (!alice.map.isEmpty() && random.nextBoolean()) {
        alice.monitor();
      }
    }
    return this;
  }

  void epoch(Map<Label, Integer> labels) {
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
    log.appendEpoch(clock, versions, true);
  }

  private TrustedHead trust(TrustedHead head) {
    trustedHeads.add(head.encode());
    return head;
  }

  private static OptionalLong last(TrustedHead head) {
    return head == null ? OptionalLong.empty() : OptionalLong.of(head.treeSize());
  }

  /** Verifies the honest bytes through {@code check}, keeps the scenario, returns the result. */
  private Object keep(
      String op,
      byte[] honest,
      Check decode,
      Encode encode,
      Check check,
      Function<Object, Object> meaning)
      throws Exception {
    Object result = check.apply(honest);
    scenarios.add(new Scenario(op, honest, decode, encode, check, meaning, meaning.apply(result)));
    return result;
  }

  /** A user who looks a label up and monitors what it saw. */
  final class Contact {
    TrustedHead head;
    final NavigableMap<Long, Long> map = new TreeMap<>();
    final Map<Long, SearchKey> keys = new HashMap<>();
    final Map<Long, HashValue> commitments = new HashMap<>();
    final Label label;

    Contact(Label label) {
      this.label = label;
    }

    void search(OptionalLong version) throws Exception {
      SearchRequest request = new SearchRequest(last(head), label, version);
      requests.add(new Request("SearchRequest", request.encode()));
      byte[] honest = responder.search(request).encode(config);
      TrustedHead trusted = head;
      long now = clock;
      var result =
          (UserVerifier.SearchResult)
              keep(
                  "verifySearch",
                  honest,
                  b -> SearchResponse.decode(b, config, request),
                  d -> ((SearchResponse) d).encode(config),
                  b ->
                      verifier.verifySearch(
                          trusted, request, SearchResponse.decode(b, config, request), now),
                  r -> {
                    var s = (UserVerifier.SearchResult) r;
                    return List.of(
                        s.version(),
                        s.value(),
                        s.head(),
                        s.terminal(),
                        s.searchKeys(),
                        s.commitments());
                  });
      head = trust(result.head());
      keys.putAll(result.searchKeys());
      commitments.putAll(result.commitments());
      if (version.isEmpty()
          && result.terminal().mustMonitor()
          && !map.containsValue(result.version())) {
        map.merge(result.terminal().position(), result.version(), Math::max);
      }
    }

    void monitor() throws Exception {
      ContactMonitorRequest request = new ContactMonitorRequest(last(head), label, entries(map));
      requests.add(new Request("ContactMonitorRequest", request.encode()));
      byte[] honest = responder.contactMonitor(request).encode(config);
      TrustedHead trusted = head;
      long now = clock;
      LabelKeys known = labelKeys(keys, commitments);
      var result =
          (UserVerifier.Monitored)
              keep(
                  "verifyContactMonitor",
                  honest,
                  b -> MonitorResponse.decode(b, config),
                  d -> ((MonitorResponse) d).encode(config),
                  b ->
                      verifier.verifyContactMonitor(
                          trusted, request, MonitorResponse.decode(b, config), known, now),
                  r -> r);
      head = trust(result.head());
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

    Owner(Label label) {
      this.label = label;
    }

    boolean initialised() {
      return start >= 0;
    }

    void init() throws Exception {
      long s =
          Distinguished.rightmost(log.size(), log::timestamp, config.reasonableMonitoringWindow())
              .orElseThrow();
      OwnerInitRequest request = new OwnerInitRequest(last(head), label, s);
      requests.add(new Request("OwnerInitRequest", request.encode()));
      byte[] honest = responder.ownerInit(request).encode(config);
      TrustedHead trusted = head;
      long now = clock;
      var result =
          (UserVerifier.OwnerInitResult)
              keep(
                  "verifyOwnerInit",
                  honest,
                  b -> OwnerInitResponse.decode(b, config),
                  d -> ((OwnerInitResponse) d).encode(config),
                  b ->
                      verifier.verifyOwnerInit(
                          trusted, request, OwnerInitResponse.decode(b, config), now),
                  r -> r);
      head = trust(result.head());
      start = s;
      keys.putAll(result.searchKeys());
      commitments.putAll(result.commitments());
      if (!result.greatestVersions().isEmpty()) {
        greatest = result.greatestVersions().getFirst();
        knownAt = OptionalLong.of(s);
        insertedAt.put(s, greatest);
      }
    }

    void learn() throws Exception {
      while (log.greatestVersion(label) > greatest) {
        UpdateRequest request =
            new UpdateRequest(
                last(head),
                label,
                greatest < 0 ? OptionalLong.empty() : OptionalLong.of(greatest),
                List.of());
        requests.add(new Request("UpdateRequest", request.encode()));
        UpdateResponse response = responder.update(request).orElseThrow();
        byte[] honest = response.encode(config);
        TrustedHead trusted = head;
        long now = clock;
        OptionalLong at = knownAt;
        long from = start;
        LabelKeys known = labelKeys(keys, commitments);
        var result =
            (UserVerifier.UpdateResult)
                keep(
                    "verifyUpdate",
                    honest,
                    b -> UpdateResponse.decode(b, config),
                    d -> ((UpdateResponse) d).encode(config),
                    b ->
                        verifier.verifyUpdate(
                            trusted,
                            request,
                            UpdateResponse.decode(b, config),
                            at,
                            from,
                            known,
                            now),
                    r -> r);
        head = trust(result.head());
        keys.putAll(result.searchKeys());
        for (int i = 0; i < result.values().size(); i++) {
          long v = result.firstVersion() + i;
          commitments.put(
              v,
              HashValue.of(
                  Commitments.commit(
                          config.suite(), response.info().get(i), label, v, result.values().get(i))
                      .bytes()));
        }
        greatest = result.result().newGreatest();
        knownAt = OptionalLong.of(result.position());
        insertedAt.put(result.position(), greatest);
        if (result.result().monitorFromPosition() && !map.containsValue(greatest)) {
          map.merge(result.position(), greatest, Math::max);
        }
      }
    }

    void monitor() throws Exception {
      OwnerMonitorRequest request =
          new OwnerMonitorRequest(
              last(head),
              label,
              entries(map),
              start,
              greatest < 0 ? OptionalLong.empty() : OptionalLong.of(greatest));
      requests.add(new Request("OwnerMonitorRequest", request.encode()));
      byte[] honest = responder.ownerMonitor(request).encode(config);
      TrustedHead trusted = head;
      long now = clock;
      NavigableMap<Long, Long> inserted = new TreeMap<>(insertedAt);
      LabelKeys known = labelKeys(keys, commitments);
      var result =
          (UserVerifier.OwnerMonitored)
              keep(
                  "verifyOwnerMonitor",
                  honest,
                  b -> MonitorResponse.decode(b, config),
                  d -> ((MonitorResponse) d).encode(config),
                  b ->
                      verifier.verifyOwnerMonitor(
                          trusted,
                          request,
                          MonitorResponse.decode(b, config),
                          inserted,
                          known,
                          now),
                  r -> r);
      head = trust(result.head());
      start = result.start();
      map.clear();
      map.putAll(result.map());
    }
  }

  static List<MonitorMapEntry> entries(NavigableMap<Long, Long> map) {
    return map.entrySet().stream().map(e -> new MonitorMapEntry(e.getKey(), e.getValue())).toList();
  }

  /** A frozen copy of what the user knows, so later steps cannot change a kept scenario. */
  static LabelKeys labelKeys(Map<Long, SearchKey> keys, Map<Long, HashValue> commitments) {
    return LabelKeys.of(keys, commitments);
  }
}
