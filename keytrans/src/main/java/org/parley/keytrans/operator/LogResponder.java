package org.parley.keytrans.operator;

import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.TreeSet;
import org.parley.keytrans.combined.LabelUpdates;
import org.parley.keytrans.combined.Monitoring;
import org.parley.keytrans.combined.ProvingWalk;
import org.parley.keytrans.combined.Searches;
import org.parley.keytrans.commit.Label;
import org.parley.keytrans.log.HashValue;
import org.parley.keytrans.log.InvalidProofException;
import org.parley.keytrans.message.BinaryLadderStep;
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
import org.parley.keytrans.operator.LogRequestException.Reason;
import org.parley.keytrans.search.BinaryLadder;
import org.parley.keytrans.search.ImplicitSearchTree;

/**
 * Answers the draft's user operations from a {@link TransparencyLog} by running the same algorithms
 * the user will run ({@link ProvingWalk}), so the proofs contain exactly what the user consumes.
 */
public final class LogResponder {
  /** The most distinguished entries one owner-monitoring response covers. */
  public static final int OWNER_LADDERS_PER_RESPONSE = 32;

  private final TransparencyLog log;

  public LogResponder(TransparencyLog log) {
    this.log = log;
  }

  /** A greatest-version or fixed-version search. */
  public SearchResponse search(SearchRequest request) throws LogRequestException {
    Label label = request.label();
    long greatest = requireLabel(label);
    long target = request.version().orElse(greatest);
    if (target > greatest) {
      throw new LogRequestException(
          Reason.UNKNOWN_VERSION, "version " + target + " does not exist");
    }
    ProvingWalk walk = walk(request.last(), label);
    try {
      Searches.updateView(walk);
      if (request.version().isEmpty()) {
        Searches.greatestVersion(walk, log.config(), target);
      } else {
        Searches.fixedVersion(walk, log.config(), target);
      }
    } catch (InvalidProofException e) {
      throw new LogRequestException(Reason.UNKNOWN_VERSION, e.getMessage());
    }
    LabelVersion found = log.version(label, target).orElseThrow();
    List<BinaryLadderStep> ladder = new ArrayList<>();
    for (long v : Searches.ladderVersions(target)) {
      ladder.add(step(label, v, v <= greatest && v != target));
    }
    OptionalLong version =
        request.version().isEmpty() ? OptionalLong.of(target) : OptionalLong.empty();
    return new SearchResponse(
        log.fullTreeHead(request.last()),
        version,
        found.opening(),
        found.value(),
        ladder,
        walk.finish());
  }

  /** Contact monitoring of label-version pairs the user looked up. */
  public MonitorResponse contactMonitor(ContactMonitorRequest request) throws LogRequestException {
    requireLabel(request.label());
    NavigableMap<Long, Long> map = monitorMap(request.label(), request.entries());
    ProvingWalk walk = walk(request.last(), request.label());
    try {
      Searches.updateView(walk);
      Monitoring.contact(walk, log.config(), map, OptionalLong.empty());
    } catch (InvalidProofException e) {
      throw new IllegalStateException("the log's own data fails contact monitoring", e);
    }
    return new MonitorResponse(log.fullTreeHead(request.last()), walk.finish());
  }

  /** Owner initialisation from a distinguished starting entry. */
  public OwnerInitResponse ownerInit(OwnerInitRequest request) throws LogRequestException {
    Label label = request.label();
    if (request.start() >= log.size()) {
      throw new LogRequestException(
          Reason.INVALID, "start " + request.start() + " is beyond the log");
    }
    ProvingWalk walk = walk(request.last(), label);
    List<Long> greatestVersions = new ArrayList<>();
    try {
      Searches.updateView(walk);
      List<Long> entries = Monitoring.ownerInitEntries(walk, log.config(), request.start());
      for (long x : entries) {
        long greatest = log.greatestAt(label, x);
        if (greatest < 0) {
          break;
        }
        greatestVersions.add(greatest);
      }
      Monitoring.ownerInit(walk, entries, greatestVersions);
    } catch (InvalidProofException e) {
      throw new LogRequestException(Reason.INVALID, e.getMessage());
    }
    TreeSet<Long> versions = new TreeSet<>(List.of(0L));
    for (long g : greatestVersions) {
      versions.addAll(BinaryLadder.search(g, g));
    }
    long known = greatestVersions.isEmpty() ? -1 : greatestVersions.getFirst();
    List<BinaryLadderStep> ladder = new ArrayList<>();
    for (long v : versions) {
      ladder.add(step(label, v, v <= known));
    }
    return new OwnerInitResponse(
        log.fullTreeHead(request.last()), greatestVersions, ladder, walk.finish());
  }

  /** Owner monitoring: contact monitoring, then distinguished entries right of the start. */
  public MonitorResponse ownerMonitor(OwnerMonitorRequest request) throws LogRequestException {
    Label label = request.label();
    long greatest = log.greatestVersion(label);
    if (request.start() >= log.size()) {
      throw new LogRequestException(
          Reason.INVALID, "start " + request.start() + " is beyond the log");
    }
    long known = request.greatestVersion().orElse(-1);
    if (known > greatest || log.greatestAt(label, request.start()) > known) {
      throw new LogRequestException(
          Reason.INVALID, "greatest_version does not match the label's versions");
    }
    NavigableMap<Long, Long> map = monitorMap(label, request.entries());
    NavigableMap<Long, Long> insertedAt = new TreeMap<>();
    for (long v = 0; v <= known; v++) {
      insertedAt.put(log.version(label, v).orElseThrow().position(), v);
    }
    ProvingWalk walk = walk(request.last(), label);
    int[] ladders = {0};
    try {
      Searches.updateView(walk);
      Monitoring.contact(walk, log.config(), map, OptionalLong.of(request.start()));
      Monitoring.owner(
          walk,
          log.config(),
          request.start(),
          insertedAt,
          (x, expected) ->
              log.greatestAt(label, x) > expected || ladders[0]++ >= OWNER_LADDERS_PER_RESPONSE);
    } catch (InvalidProofException e) {
      throw new IllegalStateException("the log's own data fails owner monitoring", e);
    }
    return new MonitorResponse(log.fullTreeHead(request.last()), walk.finish());
  }

  /**
   * Tells an owner of the versions after its {@code greatest_version}: the first entry that created
   * any, with their values and openings; empty when there is no version after it (the owner is up
   * to date, a normal answer, not an error). Parley's clients send no values; the server creates
   * versions itself (docs/spec/keytrans.md).
   */
  public Optional<UpdateResponse> update(UpdateRequest request) throws LogRequestException {
    if (!request.values().isEmpty()) {
      throw new LogRequestException(
          Reason.INVALID, "this log creates versions itself; send no values");
    }
    Label label = request.label();
    long greatest = log.greatestVersion(label);
    long known = request.greatestVersion().orElse(-1);
    if (known > greatest) {
      throw new LogRequestException(Reason.INVALID, "version " + known + " does not exist");
    }
    if (known == greatest) {
      log.retainedView(request.last()); // an unknown tree size is refused all the same
      return Optional.empty();
    }
    LabelVersion first = log.version(label, known + 1).orElseThrow();
    List<LabelVersion> created = new ArrayList<>();
    for (LabelVersion v : log.createdAt(label, first.position())) {
      if (v.version() > known) {
        created.add(v);
      }
    }
    long newGreatest = created.getLast().version();
    long knownAt = known < 0 ? -1 : log.version(label, known).orElseThrow().position();
    ProvingWalk walk = walk(request.last(), label);
    try {
      Searches.updateView(walk);
      LabelUpdates.verify(
          walk,
          log.config(),
          new LabelUpdates.OwnerState(known, knownAt),
          first.position(),
          newGreatest);
    } catch (InvalidProofException e) {
      throw new IllegalStateException("the log's own data fails the update check", e);
    }
    List<BinaryLadderStep> ladder = new ArrayList<>();
    for (long v : LabelUpdates.ladderVersions(known, newGreatest)) {
      ladder.add(step(label, v, v < known));
    }
    return Optional.of(
        new UpdateResponse(
            log.fullTreeHead(request.last()),
            first.position(),
            created.stream().map(v -> v.value().value()).toList(),
            created.stream().map(LabelVersion::opening).toList(),
            ladder,
            walk.finish()));
  }

  private BinaryLadderStep step(Label label, long version, boolean withCommitment) {
    Optional<HashValue> commitment =
        withCommitment
            ? log.version(label, version).map(v -> HashValue.of(v.commitment().bytes()))
            : Optional.empty();
    return new BinaryLadderStep(log.vrfProof(label, version), commitment);
  }

  private ProvingWalk walk(OptionalLong last, Label label) throws LogRequestException {
    if (log.size() == 0) {
      throw new LogRequestException(Reason.UNKNOWN_LABEL, "the log has no entries yet");
    }
    return new ProvingWalk(log, log.size(), log.retainedView(last), log.keys(label), 0);
  }

  private long requireLabel(Label label) throws LogRequestException {
    long greatest = log.greatestVersion(label);
    if (greatest < 0) {
      throw new LogRequestException(Reason.UNKNOWN_LABEL, "the label has no version");
    }
    return greatest;
  }

  /**
   * The draft's checks of a monitoring map: ascending positions, no repeated position or version,
   * each position on the direct path of (or equal to) the entry that first held the version.
   */
  private NavigableMap<Long, Long> monitorMap(Label label, List<MonitorMapEntry> entries)
      throws LogRequestException {
    NavigableMap<Long, Long> map = new TreeMap<>();
    TreeSet<Long> versions = new TreeSet<>();
    long previous = -1;
    for (MonitorMapEntry e : entries) {
      if (e.position() <= previous || !versions.add(e.version())) {
        throw new LogRequestException(
            Reason.INVALID, "monitoring entries must be ascending by position without repeats");
      }
      previous = e.position();
      Optional<LabelVersion> version = log.version(label, e.version());
      if (version.isEmpty() || e.position() >= log.size()) {
        throw new LogRequestException(
            Reason.INVALID,
            "monitored version " + e.version() + " at " + e.position() + " does not exist");
      }
      long inserted = version.get().position();
      if (e.position() != inserted
          && !ImplicitSearchTree.directPath(inserted, log.size()).contains(e.position())) {
        throw new LogRequestException(
            Reason.INVALID,
            "position "
                + e.position()
                + " is not on the direct path of the entry holding version "
                + e.version());
      }
      map.put(e.position(), e.version());
    }
    return map;
  }
}
