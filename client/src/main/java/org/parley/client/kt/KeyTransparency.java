package org.parley.client.kt;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import org.parley.client.ClientException;
import org.parley.client.ServerException;
import org.parley.client.kt.KtAlarm.Kind;
import org.parley.client.store.DeviceDatabase;
import org.parley.client.transport.ServerApi;
import org.parley.client.trust.TrustedKeys;
import org.parley.keytrans.commit.Commitments;
import org.parley.keytrans.commit.Label;
import org.parley.keytrans.head.Configuration;
import org.parley.keytrans.log.HashValue;
import org.parley.keytrans.log.MalformedEncodingException;
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
import org.parley.keytrans.search.Distinguished;
import org.parley.keytrans.user.TrustedHead;
import org.parley.keytrans.user.UserVerifier;
import org.parley.keytrans.user.VerificationException;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.Handle;
import org.parley.protocol.kt.AuditorHead;
import org.parley.protocol.kt.DeviceListValue;
import org.parley.protocol.kt.HandleValue;
import org.parley.protocol.kt.KtConfig;
import org.parley.protocol.kt.KtLabels;
import org.parley.protocol.kt.MalformedValueException;

/**
 * This device's side of key transparency: it pins the log's configuration, verifies every search
 * before a key is used, keeps the last verified head and the monitoring state, runs owner
 * monitoring of its own account's device list, and records alarms with their evidence.
 *
 * <p>A response that fails verification is never retried as if it were a network error: it is an
 * alarm (a fork, a rollback, a hidden or unapproved version), stored, and thrown as a {@link
 * KtAlarmException}. No state changes unless a response verified.
 */
public final class KeyTransparency {
  private final ServerApi api;
  private final KtStateStore state;
  private final AccountId self;
  private final TrustedKeys trusted;
  private final LongSupplier clock;

  /** Bounds on the epoch a server may state: it drives this client's waits (it is not signed). */
  static final long MIN_EPOCH_MILLIS = 50;

  static final long MAX_EPOCH_MILLIS = 60_000;

  private final OwnListChanges changes;
  private UserVerifier verifier;
  private long epochMillis = 2_000;

  public KeyTransparency(
      ServerApi api, DeviceDatabase db, AccountId self, TrustedKeys trusted, LongSupplier clock) {
    this(api, db, self, trusted, clock, (version, added, removed) -> {});
  }

  /** As above; {@code changes} hears of every approved change of this account's own list. */
  public KeyTransparency(
      ServerApi api,
      DeviceDatabase db,
      AccountId self,
      TrustedKeys trusted,
      LongSupplier clock,
      OwnListChanges changes) {
    this.api = api;
    this.state = new KtStateStore(db);
    this.self = self;
    this.trusted = trusted;
    this.clock = clock;
    this.changes = changes;
  }

  /**
   * Told of the devices each new version of this account's own list added (approved, so not an
   * alarm) and removed, as owner monitoring verifies the version.
   */
  @FunctionalInterface
  public interface OwnListChanges {
    void changed(
        long version, List<DeviceListValue.Entry> added, List<DeviceListValue.Entry> removed);
  }

  /**
   * A verified device list of an account, with the log position it was verified at and the signed
   * response that proved it (the evidence an alarm about it keeps).
   */
  public record ProvenDevices(
      AccountId account, long version, DeviceListValue devices, long treeSize, byte[] response) {
    public ProvenDevices {
      response = response.clone();
    }

    @Override
    public byte[] response() {
      return response.clone();
    }
  }

  /** A verified search and the response bytes it verified. */
  private record Searched(UserVerifier.SearchResult result, byte[] response) {}

  /**
   * From now on, requires with every verification a signed head from this independent auditor (its
   * public key), no older than {@code maxLagMillis} behind the log's newest entry, over the same
   * log this device verified; {@code null} stops requiring one.
   */
  public synchronized void requireAuditor(byte[] auditorPublicKey, long maxLagMillis) {
    verifier(); // pins the configuration first: the row the setting lives in
    state.requireAuditor(auditorPublicKey, maxLagMillis);
  }

  /** Every alarm this device raised, oldest first, open or resolved. */
  public List<KtAlarm> alarms() {
    return state.alarms(0);
  }

  /** The alarms raised after the one with id {@code after}, oldest first. */
  public List<KtAlarm> alarmsAfter(long after) {
    return state.alarms(after);
  }

  /** The open alarms about {@code subject}, oldest first. */
  public List<KtAlarm> openAlarms(String subject) {
    return state.alarms(0).stream().filter(a -> a.open() && a.subject().equals(subject)).toList();
  }

  /** The id of the last alarm raised, 0 if none: a mark for {@link #alarmsAfter}. */
  public long lastAlarmId() {
    return state.lastAlarmId();
  }

  /**
   * Resolves the open alarms of {@code kind} about device {@code device} of {@code subject}
   * (accepted by the person, or superseded); their evidence is kept.
   *
   * @return how many were open
   */
  public int resolve(
      Kind kind, String subject, DeviceId device, KtAlarm.Status status, String note) {
    return state.resolve(
        kind, subject, device, new KtAlarm.Resolution(status, clock.getAsLong(), note));
  }

  /** The last verified tree head, if any. */
  public Optional<TrustedHead> trustedHead() {
    return state.trustedHead();
  }

  /**
   * The account a handle names, as the log proves it.
   *
   * @throws NotPublishedException if the log has no version for the handle yet
   */
  public synchronized AccountId provenAccount(Handle handle) {
    Label label = new Label(KtLabels.handle(handle));
    UserVerifier.SearchResult result = search(label, Role.CONTACT, handle.value()).result();
    try {
      return HandleValue.decode(result.value().value()).accountId();
    } catch (MalformedValueException e) {
      throw alarm(
          Kind.MALFORMED_VALUE,
          handle.value(),
          "the log's value for " + handle.value() + " is not an account: " + e.getMessage(),
          null);
    }
  }

  /**
   * The device list of an account, as the log proves it (greatest version).
   *
   * @throws NotPublishedException if the log has no version for the account yet
   */
  public synchronized ProvenDevices provenDevices(AccountId account, String subject) {
    Label label = new Label(KtLabels.account(account));
    Role role = account.equals(self) ? Role.OWNER : Role.CONTACT;
    Searched searched = search(label, role, subject);
    UserVerifier.SearchResult result = searched.result();
    try {
      DeviceListValue devices = DeviceListValue.decode(result.value().value());
      return new ProvenDevices(
          account, result.version(), devices, result.head().treeSize(), searched.response());
    } catch (MalformedValueException e) {
      throw alarm(
          Kind.MALFORMED_VALUE,
          subject,
          "the log's device list for " + subject + " is malformed: " + e.getMessage(),
          null);
    }
  }

  /**
   * Owner monitoring of this device's own account: initialise if needed, learn and check every new
   * version of the device list (each device must have been approved by a device of the account),
   * then the draft's owner monitoring. Returns the new alarms.
   */
  public synchronized List<KtAlarm> monitorOwnAccount() {
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
  public synchronized Optional<DeviceListValue.Entry> provenOwnDevice(
      org.parley.protocol.DeviceId device) {
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

  /** Contact monitoring of every label this device looked up that still needs it. */
  public synchronized void monitorContacts() {
    UserVerifier verifier = verifier();
    for (Label label : state.contactLabels()) {
      LabelState st = state.label(label).orElseThrow();
      if (st.monitor().isEmpty()) {
        continue;
      }
      TrustedHead head = state.trustedHead().orElseThrow();
      ContactMonitorRequest request =
          new ContactMonitorRequest(last(head), label, entries(st.monitor()));
      byte[] bytes;
      try {
        bytes = api.kt("monitor", request.encode());
      } catch (ServerException e) {
        throw denied(e, "monitor versions it proved to this device");
      }
      try {
        UserVerifier.Monitored result =
            verifier.verifyContactMonitor(
                head,
                request,
                MonitorResponse.decode(bytes, verifier.config()),
                st.labelKeys(),
                clock.getAsLong());
        state.save(result.head(), label, Role.CONTACT, withMonitor(st, result.map(), st.start()));
      } catch (MalformedEncodingException | VerificationException e) {
        throw alarm(
            Kind.INVALID_PROOF,
            "log",
            "contact monitoring failed verification: " + e.getMessage(),
            bytes);
      }
    }
  }

  // ---- searches ----------------------------------------------------------------------------

  private Searched search(Label label, Role role, String subject) {
    UserVerifier verifier = verifier();
    TrustedHead head = state.trustedHead().orElse(null);
    SearchRequest request = new SearchRequest(last(head), label, OptionalLong.empty());
    byte[] bytes = query("search", request.encode(), label, subject);
    UserVerifier.SearchResult result;
    try {
      result =
          verifier.verifySearch(
              head,
              request,
              SearchResponse.decode(bytes, verifier.config(), request),
              clock.getAsLong());
    } catch (MalformedEncodingException | VerificationException e) {
      throw alarm(
          Kind.INVALID_PROOF,
          subject,
          "the key-transparency proof for " + subject + " failed verification: " + e.getMessage(),
          bytes);
    }
    LabelState st = state.label(label).orElse(LabelState.empty());
    Map<Long, org.parley.keytrans.prefix.SearchKey> keys = new HashMap<>(st.keys());
    keys.putAll(result.searchKeys());
    Map<Long, HashValue> commitments = new HashMap<>(st.commitments());
    commitments.putAll(result.commitments());
    NavigableMap<Long, Long> monitor = new TreeMap<>(st.monitor());
    if (role == Role.CONTACT
        && result.terminal().mustMonitor()
        && !monitor.containsValue(result.version())) {
      monitor.merge(result.terminal().position(), result.version(), Math::max);
    }
    checkAuditor(result.head());
    boolean newer = result.version() >= st.greatest() || role == Role.CONTACT;
    LabelState updated =
        new LabelState(
            st.start(),
            role == Role.CONTACT ? result.version() : st.greatest(),
            st.knownAt(),
            st.insertedAt(),
            monitor,
            keys,
            commitments,
            role == Role.CONTACT && newer ? result.value().value() : st.value());
    state.save(result.head(), label, role, updated);
    return new Searched(result, bytes);
  }

  /**
   * The device list of an account at one version, as the log proves it (a fixed-version search): a
   * contact checks an approval by a device that has left the list against the version it was last
   * in.
   *
   * @throws NotPublishedException if the log has no such version
   */
  public synchronized ProvenDevices provenDevicesAt(
      AccountId account, long version, String subject) {
    Label label = new Label(KtLabels.account(account));
    UserVerifier.SearchResult result =
        searchVersion(label, version, account.equals(self) ? Role.OWNER : Role.CONTACT, subject);
    try {
      return new ProvenDevices(
          account,
          result.version(),
          DeviceListValue.decode(result.value().value()),
          result.head().treeSize(),
          new byte[0]);
    } catch (MalformedValueException e) {
      throw alarm(
          Kind.MALFORMED_VALUE,
          subject,
          "version "
              + version
              + " of the log's device list "
              + "for "
              + subject
              + " is malformed: "
              + e.getMessage(),
          null);
    }
  }

  /** A verified fixed-version search; keeps the keys and commitments it proved. */
  private UserVerifier.SearchResult searchVersion(
      Label label, long version, Role role, String subject) {
    UserVerifier verifier = verifier();
    TrustedHead head = state.trustedHead().orElse(null);
    SearchRequest request = new SearchRequest(last(head), label, OptionalLong.of(version));
    byte[] bytes = query("search", request.encode(), label, subject);
    try {
      UserVerifier.SearchResult result =
          verifier.verifySearch(
              head,
              request,
              SearchResponse.decode(bytes, verifier.config(), request),
              clock.getAsLong());
      LabelState st = state.label(label).orElse(LabelState.empty());
      Map<Long, org.parley.keytrans.prefix.SearchKey> keys = new HashMap<>(st.keys());
      keys.putAll(result.searchKeys());
      Map<Long, HashValue> commitments = new HashMap<>(st.commitments());
      commitments.putAll(result.commitments());
      checkAuditor(result.head()); // a fixed-version answer moves the trusted head too
      state.save(
          result.head(),
          label,
          role,
          new LabelState(
              st.start(),
              st.greatest(),
              st.knownAt(),
              st.insertedAt(),
              st.monitor(),
              keys,
              commitments,
              st.value()));
      return result;
    } catch (MalformedEncodingException | VerificationException e) {
      throw alarm(
          Kind.INVALID_PROOF,
          subject,
          "the key-transparency proof of version "
              + version
              + " of the device list of "
              + subject
              + " failed verification: "
              + e.getMessage(),
          bytes);
    }
  }

  /**
   * If this device requires an auditor: its latest head must be fresh (within the lag of the newest
   * entry this device verified) and must sign this log's root at its size, computed from the
   * retained full subtrees (a head that does not is evidence of a fork).
   */
  private void checkAuditor(TrustedHead head) {
    Optional<KtStateStore.RequiredAuditor> required = state.requiredAuditor();
    if (required.isEmpty()) {
      return;
    }
    byte[] key = required.get().publicKey();
    String who = Base64.getUrlEncoder().withoutPadding().encodeToString(key);
    AuditorHead signed =
        api.ktAuditorHeads().heads().stream()
            .filter(h -> java.util.Arrays.equals(h.auditorPublicKey(), key))
            .findFirst()
            .orElseThrow(
                () ->
                    new ClientException(
                        "the server publishes no head from the auditor "
                            + who
                            + " that this device requires; not using any key until it does"));
    long newest = head.view().rightmostTimestamp();
    if (signed.treeSize() > head.treeSize()) {
      throw new ClientException(
          "the auditor's head is newer than this device's view of the log;" + " try again");
    }
    if (newest - signed.timestamp() > required.get().maxLagMillis()) {
      throw new ClientException(
          "the auditor "
              + who
              + " last signed the log "
              + (newest - signed.timestamp()) / 1000
              + " s before its newest entry, more than the "
              + required.get().maxLagMillis() / 1000
              + " s allowed; not using any key until it "
              + "catches up");
    }
    HashValue root = head.root();
    if (signed.treeSize() < head.treeSize()) {
      byte[] proof = api.ktAuditorProof(signed.treeSize(), head.treeSize());
      try {
        var scope =
            new org.parley.keytrans.log.ProofScope(
                head.treeSize(), new long[0], head.treeSize(), signed.treeSize());
        var evaluated =
            new org.parley.keytrans.log.LogVerifier(org.parley.keytrans.log.LogTreeHash.SHA256)
                .verify(
                    scope,
                    List.of(),
                    head.view().fullSubtrees(),
                    org.parley.keytrans.log.InclusionProof.decode(
                        proof, HashValue.of(new byte[32]).length()),
                    head.root());
        root = evaluated.auditorRoot().orElseThrow();
      } catch (MalformedEncodingException | org.parley.keytrans.log.InvalidProofException e) {
        throw alarm(
            Kind.INVALID_PROOF,
            "log",
            "the proof of the log's root at the auditor's size "
                + "does not verify: "
                + e.getMessage(),
            proof);
      }
    }
    try {
      org.parley.keytrans.head.AuditorTreeHeads.verifyIndependent(
          new org.parley.keytrans.suite.SignaturePublicKey(key),
          verifier().config(),
          new org.parley.keytrans.head.AuditorTreeHead(
              signed.timestamp(), signed.treeSize(), signed.signature()),
          root);
    } catch (org.parley.keytrans.head.InvalidTreeHeadException e) {
      throw alarm(
          Kind.FORK,
          "log",
          "the auditor "
              + who
              + " signed another log than the one this "
              + "server shows this device (at size "
              + signed.treeSize()
              + "): the log is forked",
          head.encode());
    }
  }

  private byte[] query(String path, byte[] request, Label label, String subject) {
    try {
      return api.kt(path, request);
    } catch (ServerException e) {
      if (e.code() == ErrorCode.UNKNOWN_LABEL && !provedBefore(label)) {
        throw new NotPublishedException(subject + " is not in the key-transparency log yet");
      }
      throw denied(e, "answer a search for " + subject);
    }
  }

  /** True if the log proved a version of {@code label} to this device before. */
  private boolean provedBefore(Label label) {
    return state.label(label).filter(st -> st.greatest() >= 0).isPresent();
  }

  /**
   * Refusals an honest log never gives to a request built only from what it proved to this device
   * before: a tree size, label, version, position or start it showed.
   */
  private static final java.util.Set<ErrorCode> DENIALS =
      java.util.EnumSet.of(
          ErrorCode.UNKNOWN_TREE_SIZE,
          ErrorCode.UNKNOWN_LABEL,
          ErrorCode.UNKNOWN_VERSION,
          ErrorCode.INVALID_REQUEST);

  /**
   * A log that denies what it proved to this device before (a tree size it signed a head for, a
   * label or a version it proved, monitoring positions it gave) lost entries: a database put back
   * to an older copy, or a fork. That is an alarm, never "the check did not run". Anything else
   * (the server busy, down or refusing the credential) is returned to be thrown as it is.
   */
  private RuntimeException denied(ServerException e, String what) {
    if (!DENIALS.contains(e.code())) {
      return e;
    }
    long size = state.trustedHead().map(TrustedHead::treeSize).orElse(0L);
    String detail =
        e.code() == ErrorCode.UNKNOWN_TREE_SIZE
            ? "denies ever having had "
                + size
                + " entries, a size this device verified a signed head"
                + " for"
            : "refused to "
                + what
                + " ("
                + e.code().wireName()
                + ": "
                + e.getMessage()
                + "), after this"
                + " device verified a signed head for "
                + size
                + " entries";
    return alarm(
        Kind.ROLLBACK,
        "log",
        "the key-transparency log "
            + detail
            + ": the log was rolled"
            + " back (its database put back to an older copy) or forked. Keep this device's data as"
            + " evidence and tell your contacts; do not trust what this server says",
        state.trustedHead().map(TrustedHead::encode).orElse(null));
  }

  // ---- owner -------------------------------------------------------------------------------

  private LabelState initialiseOwner(Label label) {
    UserVerifier verifier = verifier();
    TrustedHead head = state.trustedHead().orElse(null);
    if (head == null) {
      search(
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
    OwnerInitRequest request = new OwnerInitRequest(last(head), label, start);
    byte[] bytes;
    try {
      bytes = api.kt("owner/init", request.encode());
    } catch (ServerException e) {
      throw denied(e, "start monitoring your account from an entry it showed this device");
    }
    UserVerifier.OwnerInitResult result;
    try {
      result =
          verifier.verifyOwnerInit(
              head, request, OwnerInitResponse.decode(bytes, verifier.config()), clock.getAsLong());
    } catch (MalformedEncodingException | VerificationException e) {
      throw alarm(
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
      UserVerifier.SearchResult current = search(label, Role.OWNER, "your account").result();
      value =
          current.version() == greatest
              ? current.value().value()
              : searchVersion(label, greatest, Role.OWNER, "your account").value().value();
      // The base itself is checked against the version before it (or as the registration), so
      // a device that starts monitoring late still sees a version it never approved.
      byte[] before =
          greatest == 0
              ? null
              : searchVersion(label, greatest - 1, Role.OWNER, "your account").value().value();
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
    UserVerifier verifier = verifier();
    while (true) {
      TrustedHead head = state.trustedHead().orElseThrow();
      UpdateRequest request =
          new UpdateRequest(
              last(head),
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
        throw denied(e, "tell the versions of your device list after version " + st.greatest());
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
        throw alarm(
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
      throw alarm(
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
    UserVerifier verifier = verifier();
    TrustedHead head = state.trustedHead().orElseThrow();
    OwnerMonitorRequest request =
        new OwnerMonitorRequest(
            last(head),
            label,
            entries(st.monitor()),
            st.start(),
            st.greatest() < 0 ? OptionalLong.empty() : OptionalLong.of(st.greatest()));
    byte[] bytes;
    try {
      bytes = api.kt("owner/monitor", request.encode());
    } catch (ServerException e) {
      throw denied(
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
      state.save(result.head(), label, Role.OWNER, withMonitor(st, result.map(), result.start()));
    } catch (MalformedEncodingException | VerificationException e) {
      throw alarm(
          Kind.INVALID_PROOF,
          "your account",
          "owner monitoring of your device list failed: " + e.getMessage(),
          bytes);
    }
  }

  // ---- plumbing ----------------------------------------------------------------------------

  private UserVerifier verifier() {
    if (verifier != null) {
      return verifier;
    }
    KtConfig answer = api.ktConfig();
    byte[] served = answer.configuration();
    Optional<byte[]> pinned = state.pinnedConfiguration();
    if (pinned.isEmpty()) {
      state.pinConfiguration(served);
    } else if (!java.util.Arrays.equals(pinned.get(), served)) {
      throw alarm(
          Kind.CONFIGURATION_CHANGED,
          "log",
          "the server's key-transparency log keys or "
              + "settings changed since this device first saw them; a new log cannot prove what the "
              + "old one said",
          served);
    }
    // The epoch is not part of the signed configuration: the first answer, bounded, is kept, so
    // a server cannot later stall this client's waits or overflow a deadline with it.
    epochMillis = state.pinEpochMillis(boundedEpoch(answer.epochMillis()));
    try {
      verifier = new UserVerifier(Configuration.decode(pinned.orElse(served)));
    } catch (MalformedEncodingException e) {
      throw new ClientException(
          "the server's key-transparency configuration is malformed: " + e.getMessage());
    }
    return verifier;
  }

  static long boundedEpoch(long stated) {
    return Math.clamp(stated, MIN_EPOCH_MILLIS, MAX_EPOCH_MILLIS);
  }

  /**
   * The hash a person can be given out of band to name this log (docs/spec/keytrans.md, "Naming the
   * log"): SHA-256 of the Configuration's encoding, base64url without padding.
   */
  public static String configurationHash(byte[] configuration) {
    try {
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(java.security.MessageDigest.getInstance("SHA-256").digest(configuration));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** The hash of the log configuration this device pinned, if it pinned one. */
  public Optional<String> pinnedConfigurationHash() {
    return state.pinnedConfiguration().map(KeyTransparency::configurationHash);
  }

  /**
   * Pins the log's configuration from a hash the person was given out of band, before this device
   * trusts anything the server says: the served configuration must have that hash.
   *
   * @throws ClientException if it does not (the server shows a log other than the one named), or a
   *     different configuration is pinned already
   */
  public static void pinFromHash(ServerApi api, DeviceDatabase db, String expectedHash) {
    KtStateStore state = new KtStateStore(db);
    byte[] served = api.ktConfig().configuration();
    String hash = configurationHash(served);
    if (!hash.equals(expectedHash)) {
      throw new ClientException(
          "the server's key-transparency log is not the one its address "
              + "names (the address says kt="
              + expectedHash
              + ", the server's log is "
              + hash
              + "). Someone may be showing you a private log: check the address with whoever gave "
              + "it to you; nothing was sent");
    }
    Optional<byte[]> pinned = state.pinnedConfiguration();
    if (pinned.isPresent() && !java.util.Arrays.equals(pinned.get(), served)) {
      throw new ClientException("this profile already trusts another key-transparency log");
    }
    state.pinConfiguration(served);
  }

  /**
   * Records a standing alarm found outside this class (a contact's device Parley refuses, which
   * every send meets again) unless the same one was recorded before; returns it either way.
   */
  public synchronized KtAlarm raiseOnce(
      Kind kind, String subject, String message, byte[] evidence) {
    return raiseOnce(kind, subject, Optional.empty(), message, evidence);
  }

  /**
   * {@link #raiseOnce(Kind, String, String, byte[])} about one device of the subject. An alarm
   * resolved since is raised again: what it is about is back.
   */
  public synchronized KtAlarm raiseOnce(
      Kind kind,
      String subject,
      Optional<org.parley.protocol.DeviceId> device,
      String message,
      byte[] evidence) {
    Optional<KtAlarm> open = state.openAlarm(kind, subject, message);
    if (open.isPresent()) {
      return open.get();
    }
    return alarm(kind, subject, device, message, evidence).alarm();
  }

  /** Records an alarm found outside this class (a contact's unapproved device, say). */
  public KtAlarmException raise(Kind kind, String subject, String message, byte[] evidence) {
    return alarm(kind, subject, Optional.empty(), message, evidence);
  }

  /** {@link #raise(Kind, String, String, byte[])} about one device of the subject. */
  public KtAlarmException raise(
      Kind kind,
      String subject,
      Optional<org.parley.protocol.DeviceId> device,
      String message,
      byte[] evidence) {
    return alarm(kind, subject, device, message, evidence);
  }

  /** The server's epoch as first learned, bounded: how long a change takes to reach the log. */
  public synchronized long epochMillis() {
    verifier();
    return epochMillis;
  }

  private KtAlarmException alarm(Kind kind, String subject, String message, byte[] evidence) {
    return alarm(kind, subject, Optional.empty(), message, evidence);
  }

  private KtAlarmException alarm(
      Kind kind,
      String subject,
      Optional<org.parley.protocol.DeviceId> device,
      String message,
      byte[] evidence) {
    KtAlarm alarm =
        state.raise(
            new KtAlarm(
                0, clock.getAsLong(), kind, subject, device, message, evidence, Optional.empty()));
    return new KtAlarmException(alarm);
  }

  private static OptionalLong last(TrustedHead head) {
    return head == null ? OptionalLong.empty() : OptionalLong.of(head.treeSize());
  }

  private static List<MonitorMapEntry> entries(NavigableMap<Long, Long> map) {
    List<MonitorMapEntry> out = new ArrayList<>();
    map.forEach((position, version) -> out.add(new MonitorMapEntry(position, version)));
    return out;
  }

  private static LabelState withMonitor(
      LabelState st, NavigableMap<Long, Long> monitor, long start) {
    return new LabelState(
        start,
        st.greatest(),
        st.knownAt(),
        st.insertedAt(),
        monitor,
        st.keys(),
        st.commitments(),
        st.value());
  }
}
