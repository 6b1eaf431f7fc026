package org.parley.bench.keytrans;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.parley.keytrans.combined.LabelKeys;
import org.parley.keytrans.commit.Commitments;
import org.parley.keytrans.commit.Label;
import org.parley.keytrans.log.HashValue;
import org.parley.keytrans.message.MonitorMapEntry;
import org.parley.keytrans.message.MonitorResponse;
import org.parley.keytrans.message.OwnerInitRequest;
import org.parley.keytrans.message.OwnerInitResponse;
import org.parley.keytrans.message.OwnerMonitorRequest;
import org.parley.keytrans.message.UpdateRequest;
import org.parley.keytrans.message.UpdateResponse;
import org.parley.keytrans.prefix.SearchKey;
import org.parley.keytrans.search.Distinguished;
import org.parley.keytrans.user.TrustedHead;
import org.parley.keytrans.user.UserVerifier;

/**
 * One device of a label's owner, through encoded messages: initialises at the rightmost
 * distinguished entry, then runs its routine (learn the versions the server created since, then
 * owner monitoring). Each step returns what it cost: the bytes exchanged and the verifications,
 * bound to their inputs, to time later. The state kept between steps is LogWorld's (keytrans
 * tests), which the verifier's contract asks for.
 */
final class OwnerDevice {
  /** The bytes of the responses and the requests of one step, and its verifications. */
  record Cost(long responseBytes, long requestBytes, List<Timing.Check> checks) {
    Cost plus(Cost other) {
      List<Timing.Check> all = new ArrayList<>(checks);
      all.addAll(other.checks);
      return new Cost(responseBytes + other.responseBytes, requestBytes + other.requestBytes, all);
    }
  }

  private static final Cost NOTHING = new Cost(0, 0, List.of());

  private final BenchLog world;
  final Label label;
  private TrustedHead head;
  private long start = -1;
  private long greatest = -1;
  private OptionalLong knownAt = OptionalLong.empty();
  private final NavigableMap<Long, Long> insertedAt = new TreeMap<>();
  private final NavigableMap<Long, Long> map = new TreeMap<>();
  private final Map<Long, SearchKey> keys = new HashMap<>();
  private final Map<Long, HashValue> commitments = new HashMap<>();

  OwnerDevice(BenchLog world, Label label) {
    this.world = world;
    this.label = label;
  }

  long greatest() {
    return greatest;
  }

  Cost init() throws Exception {
    long n = world.log.size();
    long s =
        Distinguished.rightmost(n, world.log::timestamp, world.config.reasonableMonitoringWindow())
            .orElseThrow();
    OwnerInitRequest request = new OwnerInitRequest(last(), label, s);
    byte[] bytes = world.responder.ownerInit(request).encode(world.config);
    OwnerInitResponse response = OwnerInitResponse.decode(bytes, world.config);
    TrustedHead trusted = head;
    long now = world.now();
    UserVerifier.OwnerInitResult result =
        world.verifier.verifyOwnerInit(trusted, request, response, now);
    head = result.head();
    start = s;
    keys.putAll(result.searchKeys());
    commitments.putAll(result.commitments());
    if (!result.greatestVersions().isEmpty()) {
      greatest = result.greatestVersions().getFirst();
      knownAt = OptionalLong.of(s); // at or before the start; only "<= start" matters
      insertedAt.put(s, greatest);
    }
    return new Cost(
        bytes.length,
        request.encode().length,
        List.of(() -> world.verifier.verifyOwnerInit(trusted, request, response, now)));
  }

  /** The per-epoch routine: learn new versions, if the server made any, then monitor. */
  Cost routine() throws Exception {
    Cost cost = NOTHING;
    while (world.log.greatestVersion(label) > greatest) {
      cost = cost.plus(learn());
    }
    return cost.plus(monitor());
  }

  private Cost learn() throws Exception {
    UpdateRequest request =
        new UpdateRequest(
            last(),
            label,
            greatest < 0 ? OptionalLong.empty() : OptionalLong.of(greatest),
            List.of());
    byte[] bytes = world.responder.update(request).orElseThrow().encode(world.config);
    UpdateResponse response = UpdateResponse.decode(bytes, world.config);
    TrustedHead trusted = head;
    OptionalLong at = knownAt;
    long from = start;
    LabelKeys known = snapshot();
    long now = world.now();
    UserVerifier.UpdateResult result =
        world.verifier.verifyUpdate(trusted, request, response, at, from, known, now);
    head = result.head();
    keys.putAll(result.searchKeys());
    for (int i = 0; i < result.values().size(); i++) {
      long v = result.firstVersion() + i;
      commitments.put(
          v,
          HashValue.of(
              Commitments.commit(
                      world.config.suite(),
                      response.info().get(i),
                      label,
                      v,
                      result.values().get(i))
                  .bytes()));
    }
    greatest = result.result().newGreatest();
    knownAt = OptionalLong.of(result.position());
    insertedAt.put(result.position(), greatest);
    if (result.result().monitorFromPosition() && !map.containsValue(greatest)) {
      map.merge(result.position(), greatest, Math::max);
    }
    return new Cost(
        bytes.length,
        request.encode().length,
        List.of(
            () -> world.verifier.verifyUpdate(trusted, request, response, at, from, known, now)));
  }

  private Cost monitor() throws Exception {
    List<MonitorMapEntry> entries =
        map.entrySet().stream().map(e -> new MonitorMapEntry(e.getKey(), e.getValue())).toList();
    OwnerMonitorRequest request =
        new OwnerMonitorRequest(
            last(),
            label,
            entries,
            start,
            greatest < 0 ? OptionalLong.empty() : OptionalLong.of(greatest));
    byte[] bytes = world.responder.ownerMonitor(request).encode(world.config);
    MonitorResponse response = MonitorResponse.decode(bytes, world.config);
    TrustedHead trusted = head;
    NavigableMap<Long, Long> inserted = new TreeMap<>(insertedAt);
    LabelKeys known = snapshot();
    long now = world.now();
    UserVerifier.OwnerMonitored result =
        world.verifier.verifyOwnerMonitor(trusted, request, response, inserted, known, now);
    head = result.head();
    start = result.start();
    map.clear();
    map.putAll(result.map());
    return new Cost(
        bytes.length,
        request.encode().length,
        List.of(
            () ->
                world.verifier.verifyOwnerMonitor(
                    trusted, request, response, inserted, known, now)));
  }

  private OptionalLong last() {
    return head == null ? OptionalLong.empty() : OptionalLong.of(head.treeSize());
  }

  /** The owner's search keys and commitments as they are now, for a verification re-run later. */
  private LabelKeys snapshot() {
    return LabelKeys.of(keys, commitments);
  }
}
