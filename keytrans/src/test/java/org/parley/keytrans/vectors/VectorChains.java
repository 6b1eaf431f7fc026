package org.parley.keytrans.vectors;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.parley.keytrans.combined.LabelKeys;
import org.parley.keytrans.commit.Commitments;
import org.parley.keytrans.commit.Label;
import org.parley.keytrans.head.Configuration;
import org.parley.keytrans.log.HashValue;
import org.parley.keytrans.message.ContactMonitorRequest;
import org.parley.keytrans.message.MonitorResponse;
import org.parley.keytrans.message.OwnerInitRequest;
import org.parley.keytrans.message.OwnerInitResponse;
import org.parley.keytrans.message.OwnerMonitorRequest;
import org.parley.keytrans.message.SearchRequest;
import org.parley.keytrans.message.SearchResponse;
import org.parley.keytrans.message.UpdateRequest;
import org.parley.keytrans.message.UpdateResponse;
import org.parley.keytrans.prefix.SearchKey;
import org.parley.keytrans.user.TrustedHead;
import org.parley.keytrans.user.UserVerifier;

/**
 * The two users of the test vectors, a contact and an owner, each a chain of operations that starts
 * with no trusted head: what each keeps between operations (docs/spec/keytrans.md, "The state a
 * client keeps"), and the verdict of one operation as the JSON the vectors publish. The generator
 * and the test run the same chains, so the published verdicts are what verification gives.
 */
final class VectorChains {
  private final Configuration config;
  private final UserVerifier verifier;

  private TrustedHead contact;
  private final Map<Label, Map<Long, SearchKey>> contactKeys = new HashMap<>();
  private final Map<Label, Map<Long, HashValue>> contactCommitments = new HashMap<>();
  private final Map<Label, NavigableMap<Long, Long>> contactMaps = new HashMap<>();

  private TrustedHead owner;
  private final Map<Long, SearchKey> ownerKeys = new HashMap<>();
  private final Map<Long, HashValue> ownerCommitments = new HashMap<>();
  private long ownerStart = -1;
  private long ownerGreatest = -1;
  private long ownerKnownAt = -1;
  private final NavigableMap<Long, Long> ownerInsertedAt = new TreeMap<>();
  private NavigableMap<Long, Long> ownerMap = new TreeMap<>();

  VectorChains(Configuration config) {
    this.config = config;
    this.verifier = new UserVerifier(config);
  }

  /** The contact's monitoring map for {@code label} (what its next monitor request carries). */
  NavigableMap<Long, Long> contactMap(Label label) {
    return new TreeMap<>(contactMaps.getOrDefault(label, new TreeMap<>()));
  }

  NavigableMap<Long, Long> ownerMap() {
    return new TreeMap<>(ownerMap);
  }

  /** The state an operation of {@code chain} starts from, as published with it. */
  Map<String, Object> stateBefore(String chain) {
    Map<String, Object> out = new LinkedHashMap<>();
    TrustedHead head = chain.equals("contact") ? contact : owner;
    out.put("trusted_tree_size", head == null ? null : head.treeSize());
    if (chain.equals("owner")) {
      out.put("start", ownerStart < 0 ? null : ownerStart);
      out.put("greatest_version", ownerGreatest < 0 ? null : ownerGreatest);
      out.put("greatest_version_position", ownerKnownAt < 0 ? null : ownerKnownAt);
      out.put("inserted_at", json(ownerInsertedAt));
      out.put("monitoring_map", json(ownerMap));
    }
    return out;
  }

  /**
   * Verifies one operation against the chain's state. On success the state moves on and the verdict
   * is returned; on failure an exception is thrown and the state is unchanged.
   */
  Map<String, Object> apply(
      String chain, String operation, byte[] request, byte[] response, long now) throws Exception {
    Map<String, Object> verdict = new LinkedHashMap<>();
    verdict.put("accept", true);
    switch (operation) {
      case "search" -> {
        SearchRequest r = SearchRequest.decode(request);
        UserVerifier.SearchResult result =
            verifier.verifySearch(contact, r, SearchResponse.decode(response, config, r), now);
        contact = result.head();
        Label label = r.label();
        contactKeys.computeIfAbsent(label, l -> new HashMap<>()).putAll(result.searchKeys());
        contactCommitments
            .computeIfAbsent(label, l -> new HashMap<>())
            .putAll(result.commitments());
        NavigableMap<Long, Long> map = contactMaps.computeIfAbsent(label, l -> new TreeMap<>());
        if (result.terminal().mustMonitor() && !map.containsValue(result.version())) {
          map.merge(result.terminal().position(), result.version(), Math::max);
        }
        verdict.put("version", result.version());
        verdict.put("value", new String(result.value().value(), StandardCharsets.UTF_8));
        verdict.put("terminal", result.terminal().position());
        verdict.put("must_monitor", result.terminal().mustMonitor());
        verdict.put("tree_size", result.head().treeSize());
      }
      case "contact_monitor" -> {
        ContactMonitorRequest r = ContactMonitorRequest.decode(request);
        Label label = r.label();
        UserVerifier.Monitored result =
            verifier.verifyContactMonitor(
                contact,
                r,
                MonitorResponse.decode(response, config),
                LabelKeys.of(
                    contactKeys.getOrDefault(label, Map.of()),
                    contactCommitments.getOrDefault(label, Map.of())),
                now);
        contact = result.head();
        contactMaps.put(label, new TreeMap<>(result.map()));
        verdict.put("monitoring_map", json(result.map()));
        verdict.put("tree_size", result.head().treeSize());
      }
      case "owner_init" -> {
        OwnerInitRequest r = OwnerInitRequest.decode(request);
        UserVerifier.OwnerInitResult result =
            verifier.verifyOwnerInit(owner, r, OwnerInitResponse.decode(response, config), now);
        owner = result.head();
        ownerKeys.putAll(result.searchKeys());
        ownerCommitments.putAll(result.commitments());
        ownerStart = r.start();
        ownerGreatest =
            result.greatestVersions().isEmpty() ? -1 : result.greatestVersions().getFirst();
        ownerKnownAt = ownerGreatest >= 0 ? ownerStart : -1;
        if (ownerGreatest >= 0) {
          ownerInsertedAt.put(ownerStart, ownerGreatest);
        }
        verdict.put("greatest_versions", result.greatestVersions());
        verdict.put("tree_size", result.head().treeSize());
      }
      case "update" -> {
        UpdateRequest r = UpdateRequest.decode(request);
        UpdateResponse decoded = UpdateResponse.decode(response, config);
        UserVerifier.UpdateResult result =
            verifier.verifyUpdate(
                owner,
                r,
                decoded,
                ownerKnownAt < 0 ? OptionalLong.empty() : OptionalLong.of(ownerKnownAt),
                ownerStart,
                LabelKeys.of(ownerKeys, ownerCommitments),
                now);
        owner = result.head();
        ownerKeys.putAll(result.searchKeys());
        for (int i = 0; i < result.values().size(); i++) {
          long v = result.firstVersion() + i;
          ownerCommitments.put(
              v,
              HashValue.of(
                  Commitments.commit(
                          config.suite(),
                          decoded.info().get(i),
                          r.label(),
                          v,
                          result.values().get(i))
                      .bytes()));
        }
        long greatest = result.result().newGreatest();
        ownerGreatest = greatest;
        ownerKnownAt = result.position();
        ownerInsertedAt.put(result.position(), greatest);
        if (result.result().monitorFromPosition() && !ownerMap.containsValue(greatest)) {
          ownerMap.merge(result.position(), greatest, Math::max);
        }
        verdict.put("position", result.position());
        verdict.put("first_version", result.firstVersion());
        verdict.put("new_greatest_version", greatest);
        verdict.put(
            "values",
            result.values().stream()
                .map(v -> new String(v.value(), StandardCharsets.UTF_8))
                .toList());
        verdict.put("monitor_from_position", result.result().monitorFromPosition());
        verdict.put("tree_size", result.head().treeSize());
      }
      case "owner_monitor" -> {
        OwnerMonitorRequest r = OwnerMonitorRequest.decode(request);
        UserVerifier.OwnerMonitored result =
            verifier.verifyOwnerMonitor(
                owner,
                r,
                MonitorResponse.decode(response, config),
                new TreeMap<>(ownerInsertedAt),
                LabelKeys.of(ownerKeys, ownerCommitments),
                now);
        owner = result.head();
        ownerMap = new TreeMap<>(result.map());
        ownerStart = result.start();
        verdict.put("monitoring_map", json(result.map()));
        verdict.put("start", result.start());
        verdict.put("tree_size", result.head().treeSize());
      }
      default -> throw new IllegalArgumentException("unknown operation " + operation);
    }
    return verdict;
  }

  private static Map<String, Long> json(Map<Long, Long> map) {
    Map<String, Long> out = new LinkedHashMap<>();
    new TreeMap<>(map).forEach((k, v) -> out.put(Long.toString(k), v));
    return out;
  }
}
