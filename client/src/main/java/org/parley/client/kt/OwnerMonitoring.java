package org.parley.client.kt;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import org.parley.client.KtAlarm;
import org.parley.client.KtAlarm.Kind;
import org.parley.client.ServerException;
import org.parley.client.transport.ServerApi;
import org.parley.client.trust.TrustedKeys;
import org.parley.keytrans.commit.Commitments;
import org.parley.keytrans.commit.Label;
import org.parley.keytrans.log.HashValue;
import org.parley.keytrans.log.MalformedEncodingException;
import org.parley.keytrans.message.MonitorResponse;
import org.parley.keytrans.message.OwnerInitRequest;
import org.parley.keytrans.message.OwnerInitResponse;
import org.parley.keytrans.message.OwnerMonitorRequest;
import org.parley.keytrans.message.UpdateRequest;
import org.parley.keytrans.message.UpdateResponse;
import org.parley.keytrans.search.Distinguished;
import org.parley.keytrans.user.TrustedHead;
import org.parley.keytrans.user.UserVerifier;
import org.parley.keytrans.user.VerificationException;
import org.parley.protocol.AccountId;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.kt.DeviceListValue;
import org.parley.protocol.kt.KtLabels;
import org.parley.protocol.kt.MalformedValueException;

/**
 * Owner monitoring of this device's own account (draft-ietf-keytrans-protocol): initialising from a
 * distinguished entry, learning every new version of the device list and checking each against the
 * one before ({@link DeviceListAudit}: every new device approved by a device of the account), then
 * monitoring the versions it knows. An approved change is told to {@link
 * KeyTransparency.OwnListChanges}; anything else is an alarm.
 */
final class OwnerMonitoring {
  private final LogClient log;
  private final Lookups lookups;
  private final ServerApi api;
  private final KtStateStore state;
  private final AccountId self;
  private final TrustedKeys trusted;
  private final LongSupplier clock;
  private final KeyTransparency.OwnListChanges changes;

  OwnerMonitoring(
      LogClient log,
      Lookups lookups,
      AccountId self,
      TrustedKeys trusted,
      KeyTransparency.OwnListChanges changes) {
    this.log = log;
    this.lookups = lookups;
    this.api = log.api;
    this.state = log.state;
    this.self = self;
    this.trusted = trusted;
    this.clock = log.clock;
    this.changes = changes;
  }

  /**
   * Owner monitoring of this device's own account: initialise if needed, learn and check every new
   * version of the device list (each device must have been approved by a device of the account),
   * then the draft's owner monitoring. Returns the new alarms.
   */
  List<KtAlarm> monitorOwnAccount() {
    long before = state.lastAlarmId();
    Label label = new Label(KtLabels.account(self));
    LabelState own = state.label(label).filter(s -> s.start() >= 0).orElse(null);
    try {
      if (own == null) {
        own = initialiseOwner(label);
        if (own == null) {
          return List.of(); // nothing published yet
        }
      }
      own = learnVersions(label, own);
      monitorOwner(label, own);
    } catch (NotPublishedException e) {
      return List.of();
    }
    return state.alarms(before);
  }

  /**
   * The entry the last device list this device proved for its own account gives {@code device}, or
   * empty (not in it, or nothing proven yet). Read from the owner state, so it is what the log
   * proved, not what the server says now.
   */
  Optional<DeviceListValue.Entry> provenOwnDevice(org.parley.protocol.DeviceId device) {
    Label label = new Label(KtLabels.account(self));
    return state
        .label(label)
        .filter(s -> s.start() >= 0 && s.value() != null)
        .flatMap(
            s -> {
              try {
                return DeviceListValue.decode(s.value()).entry(device);
              } catch (MalformedValueException e) {
                return Optional.empty(); // a malformed value was an alarm when it was learnt
              }
            });
  }

  private LabelState initialiseOwner(Label label) {
    UserVerifier verifier = log.verifier();
    TrustedHead head = state.trustedHead().orElse(null);
    if (head == null) {
      lookups.search(
          new Label(KtLabels.account(self)), Role.OWNER, "your account"); // any search gives a head
      head = state.trustedHead().orElseThrow();
    }
    TrustedHead known = head;
    long start =
        Distinguished.rightmost(
                known.treeSize(),
                x -> known.view().entry(x).timestamp(),
                verifier.config().reasonableMonitoringWindow())
            .orElse(org.parley.keytrans.search.ImplicitSearchTree.root(known.treeSize()));
    OwnerInitRequest request = new OwnerInitRequest(LogClient.last(head), label, start);
    byte[] bytes;
    try {
      bytes = api.kt("owner/init", request.encode());
    } catch (ServerException e) {
      throw log.denied(e, "start monitoring your account from an entry it showed this device");
    }
    UserVerifier.OwnerInitResult result;
    try {
      result =
          verifier.verifyOwnerInit(
              head, request, OwnerInitResponse.decode(bytes, verifier.config()), clock.getAsLong());
    } catch (MalformedEncodingException | VerificationException e) {
      throw log.alarm(
          Kind.INVALID_PROOF,
          "your account",
          "owner initialisation failed verification: " + e.getMessage(),
          bytes);
    }
    long greatest = result.greatestVersions().isEmpty() ? -1 : result.greatestVersions().getFirst();
    NavigableMap<Long, Long> insertedAt = new TreeMap<>();
    byte[] value = null;
    if (greatest >= 0) {
      insertedAt.put(start, greatest);
    }
    LabelState st =
        new LabelState(
            start,
            greatest,
            greatest >= 0 ? start : -1,
            insertedAt,
            new TreeMap<>(),
            result.searchKeys(),
            result.commitments(),
            null);
    state.save(result.head(), label, Role.OWNER, st);
    if (greatest >= 0) {
      // The value at the start is the base the next versions are checked against.
      UserVerifier.SearchResult current =
          lookups.search(label, Role.OWNER, "your account").result();
      value =
          current.version() == greatest
              ? current.value().value()
              : lookups.searchVersion(label, greatest, Role.OWNER, "your account").value().value();
      // The base itself is checked against the version before it (or as the registration), so
      // a device that starts monitoring late still sees a version it never approved.
      byte[] before =
          greatest == 0
              ? null
              : lookups
                  .searchVersion(label, greatest - 1, Role.OWNER, "your account")
                  .value()
                  .value();
      checkTransition(before, value, greatest, null);
      st = state.label(label).orElseThrow();
      st =
          new LabelState(
              st.start(),
              st.greatest(),
              st.knownAt(),
              st.insertedAt(),
              st.monitor(),
              st.keys(),
              st.commitments(),
              value);
      state.save(state.trustedHead().orElseThrow(), label, Role.OWNER, st);
    }
    return st;
  }

  private LabelState learnVersions(Label label, LabelState st) {
    UserVerifier verifier = log.verifier();
    while (true) {
      TrustedHead head = state.trustedHead().orElseThrow();
      UpdateRequest request =
          new UpdateRequest(
              LogClient.last(head),
              label,
              st.greatest() < 0 ? OptionalLong.empty() : OptionalLong.of(st.greatest()),
              List.of());
      byte[] bytes;
      try {
        java.util.Optional<byte[]> answer = api.ktUpdate(request.encode());
        if (answer.isEmpty()) {
          return st; // 204: no version after the one we know
        }
        bytes = answer.get();
      } catch (ServerException e) {
        if (e.code() == ErrorCode.UNKNOWN_LABEL && st.greatest() < 0) {
          return st;
        }
        throw log.denied(e, "tell the versions of your device list after version " + st.greatest());
      }
      UserVerifier.UpdateResult result;
      try {
        result =
            verifier.verifyUpdate(
                head,
                request,
                UpdateResponse.decode(bytes, verifier.config()),
                st.knownAt() < 0 ? OptionalLong.empty() : OptionalLong.of(st.knownAt()),
                st.start(),
                st.labelKeys(),
                clock.getAsLong());
      } catch (MalformedEncodingException | VerificationException e) {
        throw log.alarm(
            Kind.INVALID_PROOF,
            "your account",
            "a new version of your device list failed " + "verification: " + e.getMessage(),
            bytes);
      }
      UpdateResponse response;
      try {
        response = UpdateResponse.decode(bytes, verifier.config());
      } catch (MalformedEncodingException e) {
        throw new IllegalStateException(e);
      }
      Map<Long, org.parley.keytrans.prefix.SearchKey> keys = new HashMap<>(st.keys());
      keys.putAll(result.searchKeys());
      Map<Long, HashValue> commitments = new HashMap<>(st.commitments());
      byte[] previous = st.value();
      for (int i = 0; i < result.values().size(); i++) {
        long v = result.firstVersion() + i;
        byte[] value = result.values().get(i).value();
        commitments.put(
            v,
            HashValue.of(
                Commitments.commit(
                        verifier.config().suite(),
                        response.info().get(i),
                        label,
                        v,
                        result.values().get(i))
                    .bytes()));
        checkTransition(previous, value, v, bytes);
        previous = value;
      }
      long greatest = result.result().newGreatest();
      NavigableMap<Long, Long> insertedAt = new TreeMap<>(st.insertedAt());
      insertedAt.put(result.position(), greatest);
      NavigableMap<Long, Long> monitor = new TreeMap<>(st.monitor());
      if (result.result().monitorFromPosition() && !monitor.containsValue(greatest)) {
        monitor.merge(result.position(), greatest, Math::max);
      }
      st =
          new LabelState(
              st.start(),
              greatest,
              result.position(),
              insertedAt,
              monitor,
              keys,
              commitments,
              previous);
      state.save(result.head(), label, Role.OWNER, st);
    }
  }

  /** Checks one new version of this account's device list; an unapproved device is an alarm. */
  private void checkTransition(byte[] previous, byte[] next, long version, byte[] evidence) {
    DeviceListValue nextList;
    Optional<DeviceListValue> previousList;
    try {
      nextList = DeviceListValue.decode(next);
      previousList =
          previous == null ? Optional.empty() : Optional.of(DeviceListValue.decode(previous));
    } catch (MalformedValueException e) {
      throw log.alarm(
          Kind.MALFORMED_VALUE,
          "your account",
          "version " + version + " of your device list is malformed: " + e.getMessage(),
          evidence);
    }
    if (previousList.isEmpty() && version > 0) {
      return; // no base to compare with (state from before this device's start)
    }
    // A removed device's entry keeps a valid approval: only remembering its key (across
    // restarts) shows the server putting it back later.
    List<DeviceListProblem> problems =
        DeviceListAudit.check(self, previousList, nextList, trusted.retiredKeys(self));
    List<DeviceListValue.Entry> removed =
        previousList
            .map(
                before ->
                    before.entries().stream()
                        .filter(
                            e ->
                                nextList
                                    .bySerial(e.serial())
                                    .isEmpty()) // gone, even if its slot is not
                        .toList())
            .orElse(List.of());
    removed.forEach(e -> trusted.rememberRetired(self, e.deviceId(), e.serial(), e.identityKey()));
    // what the audit accepted is news for the person, not an alarm: tell it (once; the caller
    // records each change of a device and key once)
    java.util.Set<org.parley.protocol.DeviceId> flagged = new java.util.HashSet<>();
    problems.stream().filter(DeviceListProblem::alarm).forEach(p -> flagged.add(p.deviceId()));
    List<DeviceListValue.Entry> added =
        nextList.entries().stream()
            .filter(
                e ->
                    previousList
                        .flatMap(before -> before.bySerial(e.serial()))
                        .filter(old -> old.sameKey(e))
                        .isEmpty())
            .filter(e -> !flagged.contains(e.deviceId()))
            .toList();
    if (previousList.isPresent() && (!added.isEmpty() || !removed.isEmpty())) {
      changes.changed(version, added, removed);
    }
    for (DeviceListProblem problem : problems) {
      if (problem.alarm()) {
        boolean revived = problem.kind() == DeviceListProblem.Kind.REUSED_KEY;
        KtAlarm alarm =
            new KtAlarm(
                clock.getAsLong(),
                revived ? Kind.REVIVED_DEVICE : Kind.UNAPPROVED_DEVICE,
                "your account",
                "ALARM: version "
                    + version
                    + " of your account's published device list has device "
                    + problem.deviceId()
                    + (revived
                        ? " back with a key your account stopped using ("
                        : " that none of your devices approved (")
                    + problem.detail()
                    + "). Someone with control of the server may be able to read "
                    + "your messages: stop using this server and tell your contacts.",
                evidence);
        state.raise(alarm);
      }
    }
  }

  private void monitorOwner(Label label, LabelState st) {
    UserVerifier verifier = log.verifier();
    TrustedHead head = state.trustedHead().orElseThrow();
    OwnerMonitorRequest request =
        new OwnerMonitorRequest(
            LogClient.last(head),
            label,
            LogClient.entries(st.monitor()),
            st.start(),
            st.greatest() < 0 ? OptionalLong.empty() : OptionalLong.of(st.greatest()));
    byte[] bytes;
    try {
      bytes = api.kt("owner/monitor", request.encode());
    } catch (ServerException e) {
      throw log.denied(
          e,
          "monitor version "
              + st.greatest()
              + " of your device list, which it"
              + " proved to this device");
    }
    try {
      UserVerifier.OwnerMonitored result =
          verifier.verifyOwnerMonitor(
              head,
              request,
              MonitorResponse.decode(bytes, verifier.config()),
              st.insertedAt(),
              st.labelKeys(),
              clock.getAsLong());
      state.save(
          result.head(),
          label,
          Role.OWNER,
          LogClient.withMonitor(st, result.map(), result.start()));
    } catch (MalformedEncodingException | VerificationException e) {
      throw log.alarm(
          Kind.INVALID_PROOF,
          "your account",
          "owner monitoring of your device list failed: " + e.getMessage(),
          bytes);
    }
  }
}
