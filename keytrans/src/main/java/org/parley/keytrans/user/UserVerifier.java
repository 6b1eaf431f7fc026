package org.parley.keytrans.user;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import org.parley.keytrans.combined.CombinedTreeProof;
import org.parley.keytrans.combined.LabelKeys;
import org.parley.keytrans.combined.LabelUpdates;
import org.parley.keytrans.combined.Monitoring;
import org.parley.keytrans.combined.Searches;
import org.parley.keytrans.combined.VerifyingWalk;
import org.parley.keytrans.commit.Commitments;
import org.parley.keytrans.commit.Label;
import org.parley.keytrans.commit.UpdateValue;
import org.parley.keytrans.commit.VrfInput;
import org.parley.keytrans.head.Configuration;
import org.parley.keytrans.head.FullTreeHead;
import org.parley.keytrans.head.InvalidTreeHeadException;
import org.parley.keytrans.head.TreeHeads;
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
import org.parley.keytrans.prefix.SearchKey;
import org.parley.keytrans.search.BinaryLadder;
import org.parley.keytrans.vrf.VrfException;

/**
 * The user's verification of every response (draft "User Operations"), pure: the caller passes the
 * head it trusts (null if none) and the local clock, and keeps the returned state only when no
 * exception was thrown.
 */
public final class UserVerifier {
  private final Configuration config;

  public UserVerifier(Configuration config) {
    this.config = config;
  }

  public Configuration config() {
    return config;
  }

  /** A verified search: the value of the version found, and what to keep. */
  public record SearchResult(
      long version,
      UpdateValue value,
      TrustedHead head,
      Searches.Terminal terminal,
      Map<Long, SearchKey> searchKeys,
      Map<Long, HashValue> commitments) {}

  /** Verifies a search response (steps 1-6 of "Search"). */
  public SearchResult verifySearch(
      TrustedHead trusted, SearchRequest request, SearchResponse response, long now)
      throws VerificationException {
    long target =
        request.version().isPresent()
            ? request.version().getAsLong()
            : response.version().orElseThrow();
    List<Long> versions = Searches.ladderVersions(target);
    Keys keys = keysFrom(request.label(), versions, response.binaryLadder());
    if (keys.commitments.containsKey(target)) {
      throw new VerificationException(
          "the binary ladder gives a commitment for the target version");
    }
    keys.commitments.put(
        target,
        HashValue.of(
            Commitments.commit(
                    config.suite(), response.opening(), request.label(), target, response.value())
                .bytes()));
    Searches.Terminal[] terminal = new Searches.Terminal[1];
    TrustedHead head =
        run(
            trusted,
            request.last(),
            response.fullTreeHead(),
            response.search(),
            keys,
            now,
            walk ->
                terminal[0] =
                    request.version().isPresent()
                        ? Searches.fixedVersion(walk, config, target)
                        : Searches.greatestVersion(walk, config, target));
    return new SearchResult(
        target,
        response.value(),
        head,
        terminal[0],
        Map.copyOf(keys.outputs),
        keys.boundCommitments());
  }

  /**
   * Verifies a contact-monitoring response for the map the request carried; returns the map to keep
   * with the new head.
   */
  public Monitored verifyContactMonitor(
      TrustedHead trusted,
      ContactMonitorRequest request,
      MonitorResponse response,
      LabelKeys knownKeys,
      long now)
      throws VerificationException {
    NavigableMap<Long, Long> map = mapOf(request.entries());
    Object[] out = new Object[1];
    TrustedHead head =
        run(
            trusted,
            request.last(),
            response.fullTreeHead(),
            response.monitor(),
            knownKeys,
            now,
            walk -> out[0] = Monitoring.contact(walk, config, map, OptionalLong.empty()));
    @SuppressWarnings("unchecked")
    NavigableMap<Long, Long> kept = (NavigableMap<Long, Long>) out[0];
    return new Monitored(kept, head);
  }

  /** The monitoring map to keep, and the head. */
  public record Monitored(NavigableMap<Long, Long> map, TrustedHead head) {}

  /** A verified owner initialisation. */
  public record OwnerInitResult(
      List<Long> greatestVersions,
      Map<Long, SearchKey> searchKeys,
      Map<Long, HashValue> commitments,
      TrustedHead head) {}

  /** Verifies an owner-initialisation response. */
  public OwnerInitResult verifyOwnerInit(
      TrustedHead trusted, OwnerInitRequest request, OwnerInitResponse response, long now)
      throws VerificationException {
    List<Long> greatest = response.greatestVersions();
    java.util.TreeSet<Long> versions = new java.util.TreeSet<>(List.of(0L));
    for (long g : greatest) {
      versions.addAll(BinaryLadder.search(g, g));
    }
    Keys keys = keysFrom(request.label(), List.copyOf(versions), response.binaryLadder());
    long known = greatest.isEmpty() ? -1 : greatest.getFirst();
    for (long v : versions) {
      if (keys.commitments.containsKey(v) != (v <= known)) {
        throw new VerificationException(
            "the binary ladder's commitments do not match the " + "greatest versions");
      }
    }
    TrustedHead head =
        run(
            trusted,
            request.last(),
            response.fullTreeHead(),
            response.init(),
            keys,
            now,
            walk -> {
              List<Long> entries = Monitoring.ownerInitEntries(walk, config, request.start());
              Monitoring.ownerInit(walk, entries, greatest);
              return null;
            });
    return new OwnerInitResult(greatest, Map.copyOf(keys.outputs), keys.boundCommitments(), head);
  }

  /** A verified owner-monitoring response. */
  public record OwnerMonitored(NavigableMap<Long, Long> map, long start, TrustedHead head) {}

  /**
   * Verifies an owner-monitoring response.
   *
   * @param insertedAt where each of the owner's known versions went: position -> version
   * @param knownKeys the owner's search keys and commitments
   */
  public OwnerMonitored verifyOwnerMonitor(
      TrustedHead trusted,
      OwnerMonitorRequest request,
      MonitorResponse response,
      NavigableMap<Long, Long> insertedAt,
      LabelKeys knownKeys,
      long now)
      throws VerificationException {
    NavigableMap<Long, Long> map = mapOf(request.entries());
    Object[] out = new Object[2];
    TrustedHead head =
        run(
            trusted,
            request.last(),
            response.fullTreeHead(),
            response.monitor(),
            knownKeys,
            now,
            walk -> {
              out[0] = Monitoring.contact(walk, config, map, OptionalLong.of(request.start()));
              out[1] =
                  Monitoring.owner(
                      walk,
                      config,
                      request.start(),
                      insertedAt,
                      (x, expected) -> !walk.hasMorePrefixProofs());
              return null;
            });
    @SuppressWarnings("unchecked")
    NavigableMap<Long, Long> kept = (NavigableMap<Long, Long>) out[0];
    return new OwnerMonitored(kept, (Long) out[1], head);
  }

  /** A verified update: the new versions, their values and what to keep. */
  public record UpdateResult(
      long position,
      long firstVersion,
      List<UpdateValue> values,
      Map<Long, SearchKey> searchKeys,
      LabelUpdates.Result result,
      TrustedHead head) {}

  /**
   * Verifies the answer to an {@code UpdateRequest} without values (the owner learning of new
   * versions).
   *
   * @param knownAt where the owner's greatest known version was inserted, if it knows one
   * @param start the owner's starting position
   * @param knownKeys the owner's search keys (those of its known greatest version's ladder)
   */
  public UpdateResult verifyUpdate(
      TrustedHead trusted,
      UpdateRequest request,
      UpdateResponse response,
      OptionalLong knownAt,
      long start,
      LabelKeys knownKeys,
      long now)
      throws VerificationException {
    long known = request.greatestVersion().orElse(-1);
    if (!request.values().isEmpty()) {
      throw new IllegalArgumentException("Parley's owners send no values");
    }
    if (response.values().isEmpty() || response.values().size() != response.info().size()) {
      throw new VerificationException("an update must carry one opening per new value");
    }
    long position = response.position();
    if (position <= Math.max(start, knownAt.orElse(-1))) {
      throw new VerificationException("the new versions are not right of the owner's state");
    }
    long newGreatest = known + response.values().size();
    if (newGreatest > BinaryLadder.MAX_VERSION) {
      throw new VerificationException("the update goes past the last version, 2^32-1");
    }
    List<Long> versions = LabelUpdates.ladderVersions(known, newGreatest);
    Keys keys = keysFrom(request.label(), versions, response.binaryLadder());
    for (long v : keys.commitments.keySet()) {
      if (v >= known) {
        throw new VerificationException("the update gives a commitment for version " + v);
      }
    }
    List<UpdateValue> values = response.values().stream().map(UpdateValue::of).toList();
    for (int i = 0; i < values.size(); i++) {
      long v = known + 1 + i;
      keys.commitments.put(
          v,
          HashValue.of(
              Commitments.commit(
                      config.suite(), response.info().get(i), request.label(), v, values.get(i))
                  .bytes()));
    }
    LabelKeys combined =
        new LabelKeys() {
          @Override
          public SearchKey searchKey(long version) throws InvalidProofException {
            return keys.outputs.containsKey(version)
                ? keys.outputs.get(version)
                : knownKeys.searchKey(version);
          }

          @Override
          public Optional<HashValue> commitment(long version) {
            Optional<HashValue> mine = Optional.ofNullable(keys.commitments.get(version));
            return mine.isPresent() ? mine : knownKeys.commitment(version);
          }
        };
    LabelUpdates.Result[] result = new LabelUpdates.Result[1];
    TrustedHead head =
        run(
            trusted,
            request.last(),
            response.fullTreeHead(),
            response.update(),
            combined,
            now,
            walk ->
                result[0] =
                    LabelUpdates.verify(
                        walk,
                        config,
                        new LabelUpdates.OwnerState(known, Math.max(start, knownAt.orElse(-1))),
                        position,
                        newGreatest));
    return new UpdateResult(position, known + 1, values, Map.copyOf(keys.outputs), result[0], head);
  }

  // ---- shared steps -------------------------------------------------------------------------

  private interface WalkBody {
    Object run(VerifyingWalk walk) throws InvalidProofException;
  }

  /**
   * Updates the view, runs the algorithm, checks the clock bounds, computes the roots and verifies
   * the full tree head; returns the head to trust next.
   */
  private TrustedHead run(
      TrustedHead trusted,
      OptionalLong last,
      FullTreeHead fullHead,
      CombinedTreeProof proof,
      LabelKeys keys,
      long now,
      WalkBody body)
      throws VerificationException {
    if (last.isPresent() != (trusted != null)
        || (trusted != null && trusted.treeSize() != last.getAsLong())) {
      throw new IllegalArgumentException("the request must advertise the trusted tree size");
    }
    long treeSize =
        switch (fullHead) {
          case FullTreeHead.Same s -> {
            if (trusted == null) {
              throw new VerificationException("the log answered 'same' to a user without a head");
            }
            yield trusted.treeSize();
          }
          case FullTreeHead.Updated u -> {
            if (trusted != null && u.treeHead().treeSize() <= trusted.treeSize()) {
              throw new VerificationException(
                  "tree head of size "
                      + u.treeHead().treeSize()
                      + " does not extend the trusted size "
                      + trusted.treeSize()
                      + ": a rollback");
            }
            yield u.treeHead().treeSize();
          }
        };
    VerifyingWalk walk =
        new VerifyingWalk(
            config.suite(), proof, treeSize, trusted == null ? null : trusted.view(), keys);
    VerifyingWalk.Outcome outcome;
    try {
      Searches.updateView(walk);
      checkClock(walk.timestamp(treeSize - 1), now);
      body.run(walk);
      outcome = walk.finish(0);
    } catch (InvalidProofException e) {
      throw new VerificationException(e.getMessage(), e);
    }
    if (fullHead instanceof FullTreeHead.Updated u) {
      try {
        TreeHeads.verify(config, u.treeHead(), outcome.root());
      } catch (InvalidTreeHeadException e) {
        throw new VerificationException(
            "tree head does not verify against the proof's root "
                + "(a forked or altered log): "
                + e.getMessage(),
            e);
      }
      return new TrustedHead(u.treeHead(), outcome.root(), outcome.view());
    }
    if (!outcome.root().equals(trusted.root())) {
      throw new VerificationException("the proof does not lead to the trusted root");
    }
    return new TrustedHead(trusted.head(), trusted.root(), outcome.view());
  }

  private void checkClock(long rightmost, long now) throws VerificationException {
    if (Long.compareUnsigned(rightmost, now) > 0
        && Long.compareUnsigned(rightmost - now, config.maxAhead()) > 0) {
      throw new VerificationException(
          "the log's newest entry is ahead of the local clock by more " + "than max_ahead");
    }
    if (Long.compareUnsigned(now, rightmost) > 0
        && Long.compareUnsigned(now - rightmost, config.maxBehind()) > 0) {
      throw new VerificationException(
          "the log's newest entry is older than max_behind allows "
              + "(a stale or rolled-back view)");
    }
  }

  private static final class Keys implements LabelKeys {
    final Map<Long, SearchKey> outputs = new HashMap<>();
    final Map<Long, HashValue> commitments = new TreeMap<>();

    @Override
    public SearchKey searchKey(long version) throws InvalidProofException {
      SearchKey key = outputs.get(version);
      if (key == null) {
        throw new InvalidProofException("no VRF proof for version " + version);
      }
      return key;
    }

    /** Versions a lookup proved included: only their commitments are bound to the head. */
    final Set<Long> bound = new HashSet<>();

    @Override
    public Optional<HashValue> commitment(long version) {
      HashValue commitment = commitments.get(version);
      if (commitment != null) {
        bound.add(version); // asked only for an inclusion result, whose proof must then verify
      }
      return Optional.ofNullable(commitment);
    }

    /**
     * The commitments to keep: a ladder step may carry one for a version that no lookup of this
     * response includes, and nothing then binds it to the tree head (found by the fuzz run).
     */
    Map<Long, HashValue> boundCommitments() {
      Map<Long, HashValue> out = new HashMap<>(commitments);
      out.keySet().retainAll(bound);
      return Map.copyOf(out);
    }
  }

  private Keys keysFrom(Label label, List<Long> versions, List<BinaryLadderStep> steps)
      throws VerificationException {
    if (steps.size() != versions.size()) {
      throw new VerificationException(
          "binary ladder has " + steps.size() + " steps, expected " + versions.size());
    }
    Keys keys = new Keys();
    for (int i = 0; i < steps.size(); i++) {
      long v = versions.get(i);
      BinaryLadderStep step = steps.get(i);
      try {
        byte[] output =
            config
                .suite()
                .verifyVrf(config.vrfPublicKey(), VrfInput.of(label, v).encode(), step.proof());
        keys.outputs.put(v, SearchKey.of(output));
      } catch (VrfException e) {
        throw new VerificationException("VRF proof for version " + v + " does not verify", e);
      }
      step.commitment().ifPresent(c -> keys.commitments.put(v, c));
    }
    return keys;
  }

  private static NavigableMap<Long, Long> mapOf(List<MonitorMapEntry> entries) {
    NavigableMap<Long, Long> map = new TreeMap<>();
    entries.forEach(e -> map.put(e.position(), e.version()));
    return map;
  }
}
