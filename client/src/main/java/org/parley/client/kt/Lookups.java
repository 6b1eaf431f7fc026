package org.parley.client.kt;

import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import org.parley.client.KtAlarm.Kind;
import org.parley.client.ServerException;
import org.parley.client.kt.KeyTransparency.ProvenDevices;
import org.parley.client.transport.ServerApi;
import org.parley.keytrans.commit.Label;
import org.parley.keytrans.log.HashValue;
import org.parley.keytrans.log.MalformedEncodingException;
import org.parley.keytrans.message.ContactMonitorRequest;
import org.parley.keytrans.message.MonitorResponse;
import org.parley.keytrans.message.SearchRequest;
import org.parley.keytrans.message.SearchResponse;
import org.parley.keytrans.user.TrustedHead;
import org.parley.keytrans.user.UserVerifier;
import org.parley.keytrans.user.VerificationException;
import org.parley.protocol.AccountId;
import org.parley.protocol.Handle;
import org.parley.protocol.kt.DeviceListValue;
import org.parley.protocol.kt.HandleValue;
import org.parley.protocol.kt.KtLabels;
import org.parley.protocol.kt.MalformedValueException;

/**
 * Contact-side searches of the log: an account's device list or a handle's account, at the greatest
 * version or a fixed one, each verified before anything is kept, and contact monitoring of the
 * labels this device looked up. Owner monitoring searches its own label through them too.
 */
final class Lookups {
  private final LogClient log;
  private final ServerApi api;
  private final KtStateStore state;
  private final AccountId self;
  private final LongSupplier clock;

  Lookups(LogClient log, AccountId self) {
    this.log = log;
    this.api = log.api;
    this.state = log.state;
    this.self = self;
    this.clock = log.clock;
  }

  /** A verified search and the response bytes it verified. */
  @SuppressWarnings("ArrayRecordComponent") // handed from a search to its caller, never kept
  record Searched(UserVerifier.SearchResult result, byte[] response) {}

  /**
   * The account a handle names, as the log proves it.
   *
   * @throws NotPublishedException if the log has no version for the handle yet
   */
  AccountId provenAccount(Handle handle) {
    return provenAccount(handle, Optional.empty());
  }

  /** {@link #provenAccount(Handle)} from a bundled answer where it fits. */
  AccountId provenAccount(Handle handle, Optional<KeyTransparency.BundledSearch> bundled) {
    Label label = new Label(KtLabels.handle(handle));
    UserVerifier.SearchResult result =
        search(label, Role.CONTACT, handle.value(), bundled).result();
    try {
      return HandleValue.decode(result.value().value()).accountId();
    } catch (MalformedValueException e) {
      throw log.alarm(
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
  ProvenDevices provenDevices(AccountId account, String subject) {
    return provenDevices(account, subject, Optional.empty());
  }

  /** {@link #provenDevices(AccountId, String)} from a bundled answer where it fits. */
  ProvenDevices provenDevices(
      AccountId account, String subject, Optional<KeyTransparency.BundledSearch> bundled) {
    Label label = new Label(KtLabels.account(account));
    Role role = account.equals(self) ? Role.OWNER : Role.CONTACT;
    Searched searched = search(label, role, subject, bundled);
    UserVerifier.SearchResult result = searched.result();
    try {
      DeviceListValue devices = DeviceListValue.decode(result.value().value());
      return new ProvenDevices(
          account, result.version(), devices, result.head().treeSize(), searched.response());
    } catch (MalformedValueException e) {
      throw log.alarm(
          Kind.MALFORMED_VALUE,
          subject,
          "the log's device list for " + subject + " is malformed: " + e.getMessage(),
          null);
    }
  }

  /**
   * The device list of an account at one version, as the log proves it (a fixed-version search): a
   * contact checks an approval by a device that has left the list against the version it was last
   * in.
   *
   * @throws NotPublishedException if the log has no such version
   */
  ProvenDevices provenDevicesAt(AccountId account, long version, String subject) {
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
      throw log.alarm(
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

  /** Contact monitoring of every label this device looked up that still needs it. */
  void monitorContacts() {
    UserVerifier verifier = log.verifier();
    for (Label label : state.contactLabels()) {
      LabelState st = state.label(label).orElseThrow();
      if (st.monitor().isEmpty()) {
        continue;
      }
      TrustedHead head = state.trustedHead().orElseThrow();
      ContactMonitorRequest request =
          new ContactMonitorRequest(LogClient.last(head), label, LogClient.entries(st.monitor()));
      byte[] bytes;
      try {
        bytes = api.kt("monitor", request.encode());
      } catch (ServerException e) {
        throw log.denied(e, "monitor versions it proved to this device");
      }
      try {
        UserVerifier.Monitored result =
            verifier.verifyContactMonitor(
                head,
                request,
                MonitorResponse.decode(bytes, verifier.config()),
                st.labelKeys(),
                clock.getAsLong());
        state.save(
            result.head(),
            label,
            Role.CONTACT,
            LogClient.withMonitor(st, result.map(), st.start()));
      } catch (MalformedEncodingException | VerificationException e) {
        throw log.alarm(
            Kind.INVALID_PROOF,
            "log",
            "contact monitoring failed verification: " + e.getMessage(),
            bytes);
      }
    }
  }

  Searched search(Label label, Role role, String subject) {
    return search(label, role, subject, Optional.empty());
  }

  /**
   * The search {@link #search} would send now for the device list of {@code account}, encoded: a
   * device-list request names it so that its answer carries the proof (docs/spec/api.md).
   */
  byte[] deviceListSearch(AccountId account) {
    return searchNow(new Label(KtLabels.account(account)));
  }

  /** The same for the label of {@code handle}, which a handle look-up names. */
  byte[] handleSearch(Handle handle) {
    return searchNow(new Label(KtLabels.handle(handle)));
  }

  private byte[] searchNow(Label label) {
    TrustedHead head = state.trustedHead().orElse(null);
    return new SearchRequest(LogClient.last(head), label, OptionalLong.empty()).encode();
  }

  /**
   * A search whose answer may have come with what it proves: {@code bundled} is used instead of a
   * request only if it answers exactly the request this search would send now (the trusted head may
   * have moved since it was named); either way it is verified as any answer, and a proof that fails
   * is an alarm with it as evidence.
   */
  Searched search(
      Label label, Role role, String subject, Optional<KeyTransparency.BundledSearch> bundled) {
    UserVerifier verifier = log.verifier();
    TrustedHead head = state.trustedHead().orElse(null);
    SearchRequest request = new SearchRequest(LogClient.last(head), label, OptionalLong.empty());
    byte[] encoded = request.encode();
    Optional<byte[]> given =
        bundled
            .filter(b -> java.util.Arrays.equals(b.request(), encoded))
            .map(KeyTransparency.BundledSearch::response);
    byte[] bytes = given.isPresent() ? given.get() : log.query("search", encoded, label, subject);
    UserVerifier.SearchResult result;
    try {
      result =
          verifier.verifySearch(
              head,
              request,
              SearchResponse.decode(bytes, verifier.config(), request),
              clock.getAsLong());
    } catch (MalformedEncodingException | VerificationException e) {
      throw log.alarm(
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
    log.checkAuditor(result.head());
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

  /** A verified fixed-version search; keeps the keys and commitments it proved. */
  UserVerifier.SearchResult searchVersion(Label label, long version, Role role, String subject) {
    UserVerifier verifier = log.verifier();
    TrustedHead head = state.trustedHead().orElse(null);
    SearchRequest request =
        new SearchRequest(LogClient.last(head), label, OptionalLong.of(version));
    byte[] bytes = log.query("search", request.encode(), label, subject);
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
      log.checkAuditor(result.head()); // a fixed-version answer moves the trusted head too
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
      throw log.alarm(
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
}
