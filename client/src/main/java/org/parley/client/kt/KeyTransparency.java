package org.parley.client.kt;

import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.parley.client.ClientException;
import org.parley.client.KtAlarm;
import org.parley.client.KtAlarm.Kind;
import org.parley.client.KtAlarmException;
import org.parley.client.store.DeviceDatabase;
import org.parley.client.transport.ServerApi;
import org.parley.client.trust.TrustedKeys;
import org.parley.keytrans.user.TrustedHead;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.Handle;
import org.parley.protocol.kt.DeviceListValue;

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
  private final KtStateStore state;
  private final LogClient log;
  private final Lookups lookups;
  private final OwnerMonitoring owner;

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
    this.state = new KtStateStore(db);
    this.log = new LogClient(api, state, clock);
    this.lookups = new Lookups(log, self);
    this.owner = new OwnerMonitoring(log, lookups, self, trusted, changes);
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

  /**
   * From now on, requires with every verification a signed head from this independent auditor (its
   * public key), no older than {@code maxLagMillis} behind the log's newest entry, over the same
   * log this device verified; {@code null} stops requiring one.
   */
  public synchronized void requireAuditor(byte[] auditorPublicKey, long maxLagMillis) {
    log.verifier(); // pins the configuration first: the row the setting lives in
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
        kind, subject, device, new KtAlarm.Resolution(status, log.clock.getAsLong(), note));
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
    return lookups.provenAccount(handle);
  }

  /**
   * {@link #provenAccount(Handle)}, verifying {@code bundled} instead of asking where it answers
   * the search this device would make now; verified as any search answer.
   */
  public synchronized AccountId provenAccount(Handle handle, Optional<BundledSearch> bundled) {
    return lookups.provenAccount(handle, bundled);
  }

  /** The encoded search of {@code handle}'s label a handle look-up names. */
  public synchronized byte[] handleSearch(Handle handle) {
    return lookups.handleSearch(handle);
  }

  /**
   * The device list of an account, as the log proves it (greatest version).
   *
   * @throws NotPublishedException if the log has no version for the account yet
   */
  public synchronized ProvenDevices provenDevices(AccountId account, String subject) {
    return lookups.provenDevices(account, subject);
  }

  /**
   * A search answer that came with what it proves (a device list, a handle look-up): the encoded
   * SearchRequest the request named ({@link #deviceListSearch}, {@link #handleSearch}) and the
   * server's SearchResponse bytes.
   */
  @SuppressWarnings("ArrayRecordComponent") // handed from a response to the verifier, never kept
  public record BundledSearch(byte[] request, byte[] response) {}

  /** The encoded search of {@code account}'s device list a device-list request names. */
  public synchronized byte[] deviceListSearch(AccountId account) {
    return lookups.deviceListSearch(account);
  }

  /**
   * {@link #provenDevices(AccountId, String)}, verifying {@code bundled} instead of asking where it
   * answers the search this device would make now; verified as any search answer.
   */
  public synchronized ProvenDevices provenDevices(
      AccountId account, String subject, Optional<BundledSearch> bundled) {
    return lookups.provenDevices(account, subject, bundled);
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
    return lookups.provenDevicesAt(account, version, subject);
  }

  /**
   * Owner monitoring of this device's own account: initialise if needed, learn and check every new
   * version of the device list (each device must have been approved by a device of the account),
   * then the draft's owner monitoring. Returns the new alarms.
   */
  public synchronized List<KtAlarm> monitorOwnAccount() {
    return owner.monitorOwnAccount();
  }

  /**
   * The entry the last device list this device proved for its own account gives {@code device}, or
   * empty (not in it, or nothing proven yet). Read from the owner state, so it is what the log
   * proved, not what the server says now.
   */
  public synchronized Optional<DeviceListValue.Entry> provenOwnDevice(
      org.parley.protocol.DeviceId device) {
    return owner.provenOwnDevice(device);
  }

  /** Contact monitoring of every label this device looked up that still needs it. */
  public synchronized void monitorContacts() {
    lookups.monitorContacts();
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
    return log.alarm(kind, subject, device, message, evidence).alarm();
  }

  /** Records an alarm found outside this class (a contact's unapproved device, say). */
  public KtAlarmException raise(Kind kind, String subject, String message, byte[] evidence) {
    return log.alarm(kind, subject, Optional.empty(), message, evidence);
  }

  /** {@link #raise(Kind, String, String, byte[])} about one device of the subject. */
  public KtAlarmException raise(
      Kind kind,
      String subject,
      Optional<org.parley.protocol.DeviceId> device,
      String message,
      byte[] evidence) {
    return log.alarm(kind, subject, device, message, evidence);
  }

  /** The server's epoch as first learned, bounded: how long a change takes to reach the log. */
  public synchronized long epochMillis() {
    return log.epochMillis();
  }
}
