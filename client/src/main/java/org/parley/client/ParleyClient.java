package org.parley.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.parley.client.EnvelopeProcessor.OwedReceipt;
import org.parley.client.kt.KeyTransparency;
import org.parley.client.kt.KtAlarm;
import org.parley.client.kt.KtAlarmException;
import org.parley.client.store.ContactStore;
import org.parley.client.store.ContactStore.Contact;
import org.parley.client.store.DeviceDatabase;
import org.parley.client.store.DeviceRecord;
import org.parley.client.store.DeviceRecordStore;
import org.parley.client.store.MessageHistory;
import org.parley.client.store.PublishedKeys;
import org.parley.client.store.SqliteProtocolState;
import org.parley.client.transport.ServerApi;
import org.parley.client.trust.IdentityTrust;
import org.parley.client.trust.TrustedKeys;
import org.parley.content.MessageId;
import org.parley.content.MimiCodec;
import org.parley.crypto.DeviceCrypto;
import org.parley.crypto.RemoteAddress;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.Handle;
import org.parley.protocol.account.Credentials;
import org.parley.protocol.account.DeviceInfo;
import org.parley.protocol.account.DeviceList;
import org.parley.protocol.keys.KeyCounts;
import org.parley.protocol.message.Envelope;
import org.parley.protocol.message.EnvelopeBatch;
import org.parley.protocol.meta.ServerInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Parley device: its local state (one SQLite file in a profile directory) and everything it does
 * with the server: registering or linking, managing the account's devices, sending texts with
 * per-device fan-out, receiving with delivery receipts. Every protocol operation runs under one
 * lock, so the crypto state sees one operation at a time; the instance is thread-safe.
 */
public final class ParleyClient implements AutoCloseable {
  /** The state file's name inside the profile directory. */
  public static final String STATE_FILE = "device.db";

  private static final Logger log = LoggerFactory.getLogger(ParleyClient.class);
  private static final int RECEIVE_BATCH = 100;
  private static final Duration RECEIPT_DEVICE_LIST_AGE = Duration.ofMinutes(10);

  private final Path profileDir;
  private final DeviceDatabase db;
  private final DeviceCrypto crypto;
  private final MessageHistory history;
  private final ContactStore contacts;
  private final DeviceRecordStore deviceRecord;
  private final IdentityTrust trust;
  private final HttpClient http;
  private final DeviceSetup setup;
  private final KeyRotation rotation;
  private final DeviceNotices notices;
  private final ReentrantLock lock = new ReentrantLock();

  private ParleyClient(Path profileDir, DeviceDatabase db, IdentityTrust trust, HttpClient http) {
    this.profileDir = profileDir;
    this.db = db;
    this.crypto = DeviceCrypto.initialize(new SqliteProtocolState(db));
    this.history = new MessageHistory(db);
    this.contacts = new ContactStore(db);
    this.deviceRecord = new DeviceRecordStore(db);
    this.trust = trust;
    this.http = http;
    this.setup = new DeviceSetup(db, crypto, deviceRecord, http);
    this.rotation = new KeyRotation(crypto, new PublishedKeys(db));
    this.notices = new DeviceNotices(history);
  }

  /**
   * Opens (creating if needed) the device in {@code profileDir}; it trusts only keys the
   * key-transparency log proves, and refuses a proven key that changed.
   */
  public static ParleyClient open(Path profileDir) {
    return open(profileDir, Optional.empty());
  }

  /**
   * Opens (creating if needed) the device in {@code profileDir} with the default trust policy of
   * {@link #open(Path)}; a passphrase opens an encrypted profile, or encrypts a new one.
   */
  public static ParleyClient open(Path profileDir, Optional<Passphrase> passphrase) {
    return open(profileDir, IdentityTrust.refuseChangedKeys(), passphrase);
  }

  /**
   * As {@link #open(Path, Optional)}; given {@code caCertificates} (a PEM file), https servers are
   * trusted on certificates of those CAs instead of the system's.
   */
  public static ParleyClient open(
      Path profileDir, Optional<Passphrase> passphrase, Optional<Path> caCertificates) {
    return open(profileDir, IdentityTrust.refuseChangedKeys(), passphrase, caCertificates);
  }

  /** Opens the device in {@code profileDir} with a trust policy for directory-stated keys. */
  public static ParleyClient open(Path profileDir, IdentityTrust trust) {
    return open(profileDir, trust, Optional.empty());
  }

  /**
   * Opens the device in {@code profileDir}; a passphrase opens an encrypted profile, or creates a
   * new profile encrypted (docs/security.md). Without one, the profile's secrets are stored in the
   * clear, protected by the files' owner-only modes alone.
   *
   * @throws PassphraseException if the profile is encrypted and the passphrase is missing or wrong,
   *     or a passphrase is given for an existing profile that has none
   */
  public static ParleyClient open(
      Path profileDir, IdentityTrust trust, Optional<Passphrase> passphrase) {
    return open(profileDir, trust, passphrase, Optional.empty());
  }

  /**
   * As {@link #open(Path, IdentityTrust, Optional)}; given {@code caCertificates} (a PEM file),
   * https servers are trusted on certificates of those CAs instead of the system's.
   */
  public static ParleyClient open(
      Path profileDir,
      IdentityTrust trust,
      Optional<Passphrase> passphrase,
      Optional<Path> caCertificates) {
    Objects.requireNonNull(profileDir, "profileDir");
    Objects.requireNonNull(trust, "trust");
    HttpClient http = ServerApi.newHttpClient(caCertificates);
    DeviceDatabase db = DeviceDatabase.open(profileDir.resolve(STATE_FILE), passphrase);
    try {
      return new ParleyClient(profileDir, db, trust, http);
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
  }

  /** What {@link #reset} found before it cleared a profile. */
  public enum ResetBasis {
    /** The server no longer accepts this device's credential: it was removed. */
    REMOVED,
    /** The profile never became a device of an account (no registration, or a link unfinished). */
    NO_ACCOUNT,
    /** The device was still active (or the server could not say), and the caller forced it. */
    FORCED
  }

  /**
   * Clears a profile so that it can register or link again: deletes its state file (keys, sessions,
   * history, outbox). Without {@code force} it does so only for a device the server no longer
   * accepts (it was removed) or a profile with no account; an active device, or one whose server
   * cannot be reached, is refused, since its keys and history would be lost for nothing.
   *
   * @throws ProfileBusyException if a listener holds the profile
   * @throws ClientException if the device is still active, or the server cannot tell, and not
   *     {@code force}
   */
  public static ResetBasis reset(Path profileDir, Optional<Passphrase> passphrase, boolean force) {
    try (ListenLock held = ListenLock.acquire(profileDir)) {
      ResetBasis basis;
      try (ParleyClient client = open(profileDir, IdentityTrust.refuseChangedKeys(), passphrase)) {
        basis = client.resetBasis(force);
      }
      Path file = profileDir.resolve(STATE_FILE);
      try {
        java.nio.file.Files.deleteIfExists(file);
        java.nio.file.Files.deleteIfExists(profileDir.resolve(STATE_FILE + "-wal"));
        java.nio.file.Files.deleteIfExists(profileDir.resolve(STATE_FILE + "-shm"));
      } catch (java.io.IOException e) {
        throw new ClientException("cannot delete " + file + ": " + e.getMessage(), e);
      }
      return basis;
    }
  }

  private ResetBasis resetBasis(boolean force) {
    if (!(deviceRecord.load().orElse(null) instanceof DeviceRecord.Active record)) {
      return ResetBasis.NO_ACCOUNT;
    }
    try {
      session().api.me();
    } catch (ServerException e) {
      if (e.code() == org.parley.protocol.ErrorCode.UNAUTHORIZED) {
        return ResetBasis.REMOVED;
      }
      if (!force) {
        throw e;
      }
      return ResetBasis.FORCED;
    } catch (ServerUnreachableException e) {
      if (!force) {
        throw new ClientException(
            "cannot ask the server whether this device was removed ("
                + e.getMessage()
                + "). Try again when it is reachable, or add --force to clear the"
                + " profile anyway");
      }
      return ResetBasis.FORCED;
    }
    if (!force) {
      throw new ClientException(
          "this device is still device "
              + record.deviceId()
              + " of "
              + record.handle()
              + "; resetting would lose its keys and history for nothing."
              + " Remove it first (parley devices remove "
              + record.deviceId()
              + "), or add"
              + " --force");
    }
    return ResetBasis.FORCED;
  }

  public Path profileDir() {
    return profileDir;
  }

  // ---- who am I

  /** This device, once registered or linked. */
  public Optional<DeviceIdentity> identity() {
    return activeRecord().map(this::identityOf);
  }

  /** The link request waiting for approval, if this profile made one. */
  public Optional<PendingLink> pendingLink() {
    return setup.pendingLink();
  }

  /** This device's identity-key fingerprint. */
  public String fingerprint() {
    return Fingerprints.of(crypto.identityKey().bytes());
  }

  /** GET /v1/server of a server this profile is not (yet) registered with. */
  public ServerInfo serverInfo(URI server) {
    return new ServerApi(server, http, null).server();
  }

  // ---- registration and linking

  /**
   * Creates an account with this device as device 1: generates the password and prekeys, proposes a
   * random account id, approves its own key for it, and registers {@code handle} ({@code name}
   * alone takes the server's domain).
   */
  public DeviceIdentity register(URI server, String handle, String deviceName) {
    return locked(
        () -> {
          setup.register(server, handle, deviceName);
          return identity().orElseThrow();
        });
  }

  /**
   * Asks to join an existing account: publishes this device's keys and returns the code and URI to
   * enter on a device of that account. Then call {@link #awaitLink}.
   */
  public PendingLink startLink(URI server, String deviceName) {
    return locked(() -> setup.startLink(server, deviceName));
  }

  /**
   * Waits until the pending link request is decided, polling about once a second. Once a device of
   * an account approves it, {@code consent} is shown that account (as the approver signed it) and
   * decides: this device joins it only then; a refusal declines the link, and the account does not
   * get this device. Once joined, checks the account in the key-transparency log.
   *
   * @throws ClientException if it is refused, rejected or expires, or no link request is pending
   */
  public DeviceIdentity awaitLink(LinkConsent consent) {
    java.util.Objects.requireNonNull(consent, "consent");
    Optional<byte[]> approverKey = setup.awaitLink(consent);
    try {
      devices(); // learn our other devices' keys
      // what the server says this device joined is checked against the log
      locked(
          () -> {
            session().directory.requireSelfProven(approverKey);
            return null;
          });
    } catch (KtAlarmException e) {
      throw e;
    } catch (ClientException e) {
      log.warn("linked, but could not check this account in the log yet: {}", e.getMessage());
    }
    return identity().orElseThrow();
  }

  /**
   * What the server says about a link request. Given a link URI, checks the new device's key
   * against the URI's fingerprint and refuses on a mismatch.
   */
  public LinkRequestInfo linkInfo(String codeOrUri) {
    return setup.linkInfo(session().api, codeOrUri);
  }

  /**
   * Approves a link request: signs the approval statement (account, handle, code, new key) and the
   * device approval the key-transparency log publishes (account, new key) with this device's
   * identity key. Given a URI, refuses if the key does not match it. The new device joins once it
   * accepts this account on its own screen.
   */
  public void approveLink(String codeOrUri) {
    Session s = session();
    Handle handle = identity().orElseThrow().handle();
    locked(
        () -> {
          setup.approveLink(s.api, s.account, handle, codeOrUri);
          return null;
        });
  }

  /** Rejects a link request. */
  public void rejectLink(String codeOrUri) {
    setup.rejectLink(session().api, codeOrUri);
  }

  // ---- devices

  /** This account's devices. */
  public List<DeviceSummary> devices() {
    return locked(
        () -> {
          Session s = session();
          DeviceList list = s.api.me();
          s.directory.apply(list);
          List<DeviceSummary> result = new ArrayList<>();
          for (DeviceInfo d : list.devices()) {
            result.add(
                new DeviceSummary(
                    d.deviceId().value(),
                    d.name(),
                    Instant.ofEpochMilli(d.createdAt()),
                    Fingerprints.of(d.identityKey()),
                    d.deviceId().equals(s.device)));
          }
          return result;
        });
  }

  /** Removes a device of this account (this one included: the profile then stops working). */
  public void removeDevice(int deviceId) {
    DeviceId id = DeviceId.of(deviceId);
    locked(
        () -> {
          Session s = session();
          s.api.removeDevice(id);
          if (!id.equals(s.device)) {
            s.directory.retireOwnDevice(id);
            s.directory.apply(s.api.me());
          }
          return null;
        });
  }

  // ---- sending

  /**
   * Sends a text to a handle: encrypted once per device of the peer and once per other device of
   * ours, recorded in the conversation with its delivery status.
   */
  public SendResult send(String handle, String text) {
    Objects.requireNonNull(text, "text");
    if (text.isEmpty()) {
      throw new ClientException("the message is empty");
    }
    return locked(
        () -> {
          Session s = session();
          long alarmsBefore = s.kt.lastAlarmId();
          notices.drain(); // what this send finds is reported with it
          SendResult result =
              s.sending.send(DeviceSetup.parseHandle(handle, s.handle::domain), text);
          return result.withEvents(withNews(s, alarmsBefore, result.events()));
        });
  }

  /**
   * Every device of the peer was withheld: nothing is sent, and the send fails saying why; an alarm
   * if an open one explains it (the server offers only devices the log refutes).
   */
  private static ClientException nothingSent(
      Directory directory, KeyTransparency kt, Handle peer, AccountId account) {
    Map<Integer, String> refused = directory.refusedDevices(account);
    String why =
        "Nothing was sent to "
            + peer
            + ": "
            + (refused.isEmpty()
                ? "it has no device this device can encrypt to"
                : String.join(
                    "; ",
                    refused.entrySet().stream()
                        .map(e -> "device " + e.getKey() + " was withheld (" + e.getValue() + ")")
                        .toList()));
    List<KtAlarm> open = kt.openAlarms(peer.value());
    return open.isEmpty() ? new ClientException(why) : new KtAlarmException(why, open.getLast());
  }

  /**
   * {@code events}, then what the operation that produced them found besides: alarms it raised that
   * no event shows yet (a sender's list that failed its proof, say), and device changes.
   */
  private List<ClientEvent> withNews(Session s, long alarmsBefore, List<ClientEvent> events) {
    List<ClientEvent> out = new ArrayList<>(notices.drain()); // before the message that told them
    out.addAll(events);
    Set<Long> shown = new java.util.HashSet<>();
    events.stream()
        .filter(e -> e instanceof ClientEvent.KeyTransparencyAlarm)
        .forEach(e -> shown.add(((ClientEvent.KeyTransparencyAlarm) e).alarm().id()));
    for (KtAlarm alarm : s.kt.alarmsAfter(alarmsBefore)) {
      if (!shown.contains(alarm.id())) {
        out.add(new ClientEvent.KeyTransparencyAlarm(alarm));
      }
    }
    return List.copyOf(out);
  }

  /** Processes one envelope and reports what its processing found besides. */
  private EnvelopeProcessor.Outcome processReporting(Session s, Envelope envelope) {
    return locked(
        () -> {
          long alarmsBefore = s.kt.lastAlarmId();
          notices.drain();
          EnvelopeProcessor.Outcome outcome = s.processor.process(envelope);
          return new EnvelopeProcessor.Outcome(
              withNews(s, alarmsBefore, outcome.events()), outcome.receipt(), outcome.ack());
        });
  }

  /**
   * Sends what waits in the outbox (texts the server could not take yet), oldest first, until the
   * server cannot take one. {@link #send}, {@link #receive} and {@link #listen} do this by
   * themselves.
   *
   * @return the texts it tried, each sent or (with why) still pending
   */
  public List<SendResult> flushOutbox() {
    Session s = session();
    return locked(s.sending::flush);
  }

  /** The texts waiting in the outbox, oldest first, as history entries. */
  public List<HistoryEntry> outbox() {
    Session s = session();
    return locked(
        () ->
            s.sending.pending().stream()
                .map(p -> history.byRow(p.messageId()))
                .flatMap(Optional::stream)
                .toList());
  }

  // ---- receiving

  /**
   * Fetches, processes and acknowledges everything queued for this device, sends the delivery
   * receipts owed, and refills prekeys if the server runs low.
   *
   * @return what happened, in order
   */
  public List<ClientEvent> receive() {
    Session s = session();
    flushOutboxQuietly();
    List<ClientEvent> events = new ArrayList<>();
    List<OwedReceipt> owed = new ArrayList<>();
    try {
      for (int batches = 0; batches < 1000; batches++) {
        EnvelopeBatch batch = s.api.messages(RECEIVE_BATCH);
        List<String> done = new ArrayList<>();
        try {
          for (Envelope envelope : batch.envelopes()) {
            EnvelopeProcessor.Outcome outcome = processReporting(s, envelope);
            if (outcome.ack()) {
              done.add(envelope.id());
            }
            events.addAll(outcome.events());
            outcome.receipt().ifPresent(owed::add);
          }
        } finally {
          if (!done.isEmpty()) {
            s.api.ack(done);
          }
        }
        // held envelopes stay queued and come first again: stop once a batch has nothing else
        if (!batch.more() || batch.envelopes().isEmpty() || done.isEmpty()) {
          break;
        }
      }
    } finally {
      sendReceipts(owed);
    }
    try {
      refillPreKeys();
    } catch (ClientException e) {
      log.warn("could not check the prekeys left on the server: {}", e.getMessage());
    }
    return events;
  }

  /**
   * Listens on the WebSocket until closed, processing and acknowledging each envelope as it arrives
   * and reconnecting with backoff; {@code callback} sees every event. One listener per profile, in
   * any process: it holds the profile's listen lock until it stops.
   *
   * @throws ProfileBusyException if another listener holds this profile
   */
  public MessageListener listen(Consumer<ClientEvent> callback) {
    Session s = session();
    ListenLock held = ListenLock.acquire(profileDir);
    try {
      MessageListener listener = new MessageListener(this, s.api, callback, held);
      listener.start();
      return listener;
    } catch (RuntimeException e) {
      held.close();
      throw e;
    }
  }

  /** Sends what waits in the outbox; a failure is logged (the texts stay in it). */
  void flushOutboxQuietly() {
    try {
      flushOutbox();
    } catch (ClientException e) {
      log.warn("could not send the texts waiting in the outbox: {}", e.getMessage());
    }
  }

  /** Processes one envelope pushed on the WebSocket; see {@link MessageListener}. */
  EnvelopeProcessor.Outcome processPushed(Envelope envelope) {
    return processReporting(session(), envelope);
  }

  /** Sends the receipts owed, one per peer account; failures are logged, not retried. */
  void sendReceipts(List<OwedReceipt> owed) {
    if (owed.isEmpty()) {
      return;
    }
    Map<AccountId, List<OwedReceipt>> byAccount = new LinkedHashMap<>();
    for (OwedReceipt r : owed) {
      byAccount.computeIfAbsent(r.account(), a -> new ArrayList<>()).add(r);
    }
    Session s = session();
    for (var entry : byAccount.entrySet()) {
      Handle peer = entry.getValue().get(0).peer();
      List<MessageId> ids =
          entry.getValue().stream().map(OwedReceipt::messageId).distinct().toList();
      try {
        locked(
            () -> {
              Contact contact = s.directory.cached(entry.getKey(), RECEIPT_DEVICE_LIST_AGE);
              s.fanout.send(
                  contact,
                  MimiCodec.encode(DirectContent.receipt(s.handle, peer, ids)),
                  System.currentTimeMillis());
              return null;
            });
      } catch (ClientException e) {
        log.warn("could not send a delivery receipt to {}: {}", peer, e.getMessage());
      }
    }
  }

  /**
   * Uploads a batch of one-time prekeys of each kind the server runs low on, and replaces the
   * signed keys when they are due (docs/spec/crypto.md, "Rotating signed keys").
   */
  public KeyCounts refillPreKeys() {
    Session s = session();
    return locked(
        () -> {
          KeyCounts counts = PreKeys.refillIfLow(crypto, s.api);
          rotation.rotateIfDue(s.api, Instant.now());
          return counts;
        });
  }

  /** Uploads prekeys after a {@code keys_low} frame. */
  void refillPreKeys(KeyCounts counts) {
    Session s = session();
    locked(
        () -> {
          PreKeys.refill(crypto, s.api, counts);
          return null;
        });
  }

  /** Refreshes this account's device list after a {@code devices_changed} frame. */
  void refreshOwnDevices() {
    Session s = session();
    locked(() -> s.directory.apply(s.api.me()));
  }

  /**
   * The 60-digit safety number between this account and {@code handle}'s, over both accounts'
   * device keys the log proves (this device's own key as it is, after checking that the log lists
   * it so): compare it in person; any added, removed or replaced device changes it.
   */
  public String safetyNumber(String handle) {
    return locked(
        () -> {
          Session s = session();
          Contact peer = s.directory.byHandle(DeviceSetup.parseHandle(handle, s.handle::domain));
          Contact own = s.directory.refresh(s.account);
          s.directory.requireSelfProven();
          return org.parley.crypto.SafetyNumbers.safetyNumber(
              AccountId.of(own.accountId()),
              keysOf(own),
              AccountId.of(peer.accountId()),
              keysOf(peer));
        });
  }

  private static List<org.parley.crypto.IdentityPublicKey> keysOf(Contact contact) {
    return contact.devices().stream()
        .map(d -> new org.parley.crypto.IdentityPublicKey(d.identityKey()))
        .toList();
  }

  // ---- key transparency

  /**
   * Runs this device's key-transparency duties now: owner monitoring of its own account's device
   * list (every new version must consist of devices this account approved) and contact monitoring
   * of the labels it looked up. Returns the alarms this run raised; a failed proof is an alarm.
   */
  public List<KtAlarm> checkKeyTransparency() {
    return monitorKeyTransparency().stream()
        .filter(e -> e instanceof ClientEvent.KeyTransparencyAlarm)
        .map(e -> ((ClientEvent.KeyTransparencyAlarm) e).alarm())
        .toList();
  }

  /**
   * Runs the checks of {@link #checkKeyTransparency} and returns what they found as events: the
   * alarms they raised, and the devices added to or removed from this account since the last check
   * (each told once, and kept in the history of the conversation with this account's own handle). A
   * check that could not run (the server unreachable or busy) throws; a proof that fails, or a log
   * that denies what it proved before, is an alarm.
   */
  public List<ClientEvent> monitorKeyTransparency() {
    Session s = session();
    return locked(
        () -> {
          long before = s.kt.lastAlarmId();
          notices.drain();
          try {
            s.kt.monitorOwnAccount();
            s.kt.monitorContacts();
          } catch (KtAlarmException e) {
            // stored, and reported with the others below
          }
          return withNews(s, before, List.of());
        });
  }

  /**
   * Requires, from now on, a fresh signed head from this independent auditor (its public key as
   * base64url, as {@code parley audit} prints it) with every key-transparency verification; {@code
   * null} stops requiring one.
   */
  public void requireAuditor(String auditorPublicKey, java.time.Duration maxLag) {
    byte[] key =
        auditorPublicKey == null ? null : java.util.Base64.getUrlDecoder().decode(auditorPublicKey);
    locked(
        () -> {
          session().kt.requireAuditor(key, maxLag.toMillis());
          return null;
        });
  }

  /**
   * Accepts the key the log now proves for device {@code deviceId} of {@code handle}, replacing the
   * one trusted before: only after comparing in person the safety number {@link #verify} shows for
   * the new key. The log must still prove the key with this {@code fingerprint} (the one compared),
   * and it must pass the same checks as any proven key.
   */
  public void acceptChangedKey(String handle, int deviceId, String fingerprint) {
    locked(
        () -> {
          Session s = session();
          s.directory.acceptChangedKey(
              DeviceSetup.parseHandle(handle, s.handle::domain),
              DeviceId.of(deviceId),
              fingerprint);
          return null;
        });
  }

  /**
   * The hash of the key-transparency log this device trusts, for an address to give others ({@code
   * https://host#kt=HASH}); empty before the first check.
   */
  public Optional<String> logHash() {
    return session().kt.pinnedConfigurationHash();
  }

  /** The server's key-transparency epoch in milliseconds. */
  long ktEpochMillis() {
    return session().kt.epochMillis();
  }

  /** Every key-transparency alarm this device raised, oldest first. */
  public List<KtAlarm> keyTransparencyAlarms() {
    return session().kt.alarms();
  }

  /**
   * What the key-transparency log proves about {@code handle}: its account and device list (each
   * key checked against the directory's), the tree head it was verified at, and the safety number
   * over the proven keys.
   */
  public KtStatus verify(String handle) {
    return locked(
        () -> {
          Session s = session();
          Handle peer = DeviceSetup.parseHandle(handle, s.handle::domain);
          Contact contact = s.directory.byHandle(peer);
          AccountId account = AccountId.of(contact.accountId());
          KeyTransparency.ProvenDevices proven = s.kt.provenDevices(account, peer.value());
          Contact own = s.directory.refresh(s.account);
          s.directory.requireSelfProven();
          String safety =
              org.parley.crypto.SafetyNumbers.safetyNumber(
                  AccountId.of(own.accountId()), keysOf(own), account, keysOf(contact));
          Map<Integer, byte[]> changedKeys = s.directory.changedKeys(account);
          Optional<String> withChanged = Optional.empty();
          if (!changedKeys.isEmpty()) {
            List<org.parley.crypto.IdentityPublicKey> candidate = new ArrayList<>(keysOf(contact));
            changedKeys
                .values()
                .forEach(k -> candidate.add(new org.parley.crypto.IdentityPublicKey(k)));
            withChanged =
                Optional.of(
                    org.parley.crypto.SafetyNumbers.safetyNumber(
                        AccountId.of(own.accountId()), keysOf(own), account, candidate));
          }
          Map<Integer, String> fingerprints = new java.util.TreeMap<>();
          changedKeys.forEach((id, k) -> fingerprints.put(id, Fingerprints.of(k)));
          var head = s.kt.trustedHead().orElseThrow();
          List<KtAlarm> alarms =
              s.kt.alarms().stream()
                  .filter(
                      a ->
                          a.subject().equals(peer.value())
                              || a.subject().equals("log")
                              || a.subject().equals("server"))
                  .toList();
          return new KtStatus(
              peer.value(),
              account.value(),
              proven.version(),
              proven.devices().entries().stream().map(e -> e.deviceId().value()).toList(),
              Set.copyOf(s.directory.refusedDevices(account).keySet()),
              head.treeSize(),
              java.util.HexFormat.of().formatHex(head.root().toByteArray()),
              safety,
              alarms,
              Map.copyOf(fingerprints),
              withChanged);
        });
  }

  // ---- history

  /** The last {@code limit} entries of the conversation with {@code handle}, oldest first. */
  public List<HistoryEntry> history(String handle, int limit) {
    Handle peer = DeviceSetup.parseHandle(handle, () -> session().handle.domain());
    return history.conversation(peer.value(), limit);
  }

  /** The handles of all conversations, most recent first. */
  public List<String> conversations() {
    return history.peers();
  }

  @Override
  public void close() {
    lock.lock();
    try {
      http.shutdownNow(); // its selector thread; a listener still open fails and stops
      db.close();
    } finally {
      lock.unlock();
    }
  }

  // ---- plumbing

  /** The collaborators of a device that belongs to an account. */
  private record Session(
      AccountId account,
      DeviceId device,
      Handle handle,
      ServerApi api,
      Directory directory,
      Fanout fanout,
      EnvelopeProcessor processor,
      KeyTransparency kt,
      Sending sending) {}

  private volatile Session session;

  private Session session() {
    Session current = session;
    if (current != null) {
      return current;
    }
    // one session only, even when a listener and a caller ask at once
    lock.lock();
    try {
      return session == null ? newSession() : session;
    } finally {
      lock.unlock();
    }
  }

  private Session newSession() {
    Session current;
    DeviceRecord.Active r =
        activeRecord()
            .orElseThrow(
                () ->
                    new NotRegisteredException(
                        "this profile has no account yet. Run parley register, or parley link to"
                            + " add it to an existing account"));
    AccountId account = r.accountId();
    DeviceId device = r.deviceId();
    Handle handle = r.handle();
    ServerApi api = new ServerApi(r.server(), http, new Credentials(account, device, r.password()));
    RemoteAddress self = new RemoteAddress(account, device);
    TrustedKeys trusted = new TrustedKeys(db, crypto);
    KeyTransparency kt =
        new KeyTransparency(
            api,
            db,
            account,
            trusted,
            System::currentTimeMillis,
            (version, added, removed) ->
                ownListChanged(api, account, device, handle, version, added, removed));
    Directory directory =
        new Directory(
            api, contacts, trust, trusted, self, handle, crypto.identityKey(), kt, notices);
    Fanout fanout = new Fanout(api, crypto, directory, self);
    EnvelopeProcessor processor =
        new EnvelopeProcessor(db, crypto, history, trusted, directory, kt, account, device, handle);
    Sending sending =
        new Sending(
            db,
            history,
            directory,
            fanout,
            account,
            handle,
            device.value(),
            target ->
                nothingSent(
                    directory, kt, Handle.of(target.handle()), AccountId.of(target.accountId())));
    current = new Session(account, device, handle, api, directory, fanout, processor, kt, sending);
    session = current;
    return current;
  }

  /**
   * Owner monitoring verified a new version of this account's list: the devices it added (approved
   * by a device of the account) and removed are told, but this device's own joining. Names come
   * from the server's directory, which does not prove them.
   */
  private void ownListChanged(
      ServerApi api,
      AccountId account,
      DeviceId me,
      Handle handle,
      long version,
      List<org.parley.protocol.kt.DeviceListValue.Entry> added,
      List<org.parley.protocol.kt.DeviceListValue.Entry> removed) {
    Map<Integer, DeviceInfo> listed = new java.util.HashMap<>();
    if (added.stream().anyMatch(e -> !e.deviceId().equals(me))) {
      try {
        api.me().devices().forEach(d -> listed.put(d.deviceId().value(), d));
      } catch (ClientException e) {
        log.debug("no device names for the notices: {}", e.getMessage());
      }
    }
    contacts
        .byAccount(account.value())
        .ifPresent(
            c ->
                c.devices()
                    .forEach(
                        d ->
                            listed.putIfAbsent(
                                d.deviceId(),
                                new DeviceInfo(
                                    DeviceId.of(d.deviceId()),
                                    d.name(),
                                    d.registrationId(),
                                    d.identityKey(),
                                    0))));
    for (var e : added) {
      if (!e.deviceId().equals(me)) {
        notices.record(
            handle,
            account,
            true,
            DeviceNotice.Change.ADDED,
            e.deviceId(),
            e.identityKey(),
            nameOf(listed.get(e.deviceId().value()), e.identityKey()),
            version);
      }
    }
    for (var e : removed) {
      notices.record(
          handle,
          account,
          true,
          DeviceNotice.Change.REMOVED,
          e.deviceId(),
          e.identityKey(),
          nameOf(listed.get(e.deviceId().value()), e.identityKey()),
          version);
    }
  }

  private static Optional<String> nameOf(DeviceInfo listed, byte[] identityKey) {
    return listed == null || !java.util.Arrays.equals(listed.identityKey(), identityKey)
        ? Optional.empty()
        : Optional.ofNullable(listed.name());
  }

  private <T> T locked(Supplier<T> work) {
    lock.lock();
    try {
      return work.get();
    } finally {
      lock.unlock();
    }
  }

  private Optional<DeviceRecord.Active> activeRecord() {
    return deviceRecord.load().orElse(null) instanceof DeviceRecord.Active active
        ? Optional.of(active)
        : Optional.empty();
  }

  private DeviceIdentity identityOf(DeviceRecord.Active r) {
    return new DeviceIdentity(
        r.server(), r.accountId(), r.handle(), r.deviceId(), r.deviceName(), fingerprint());
  }
}
