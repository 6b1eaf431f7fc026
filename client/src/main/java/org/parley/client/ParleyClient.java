package org.parley.client;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.parley.client.EnvelopeProcessor.OwedReceipt;
import org.parley.client.store.DeviceDatabase;
import org.parley.client.transport.ServerApi;
import org.parley.protocol.Handle;
import org.parley.protocol.keys.KeyCounts;
import org.parley.protocol.message.Envelope;
import org.parley.protocol.meta.ServerInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Parley device: its local state (one SQLite file in a profile directory) and everything it does
 * with the server: registering or linking, managing the account's devices, sending texts with
 * per-device fan-out, receiving with delivery receipts. Every protocol operation runs under one
 * lock, so the crypto state sees one operation at a time; the instance is thread-safe.
 *
 * <p>This class is the SDK's facade: each feature lives in a class of its own behind it ({@link
 * DeviceSetup} for registering and linking, {@link Devices}, {@link Sending}, {@link Receiving},
 * {@link Verification}), over the one {@link LocalDevice} they share.
 */
public final class ParleyClient implements AutoCloseable {
  /** The state file's name inside the profile directory. */
  public static final String STATE_FILE = "device.db";

  private static final Logger log = LoggerFactory.getLogger(ParleyClient.class);

  private final LocalDevice local;
  private final Devices devices;
  private final Receiving receiving;
  private final Verification verification;

  private ParleyClient(
      Path profileDir, DeviceDatabase db, IdentityTrust trust, OnDemandHttpClient http) {
    this.local = new LocalDevice(profileDir, db, trust, http);
    this.devices = new Devices(local);
    this.receiving = new Receiving(local, this::flushOutboxQuietly);
    this.verification = new Verification(local);
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
    OnDemandHttpClient http = new OnDemandHttpClient(caCertificates);
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
  @SuppressWarnings("try") // the listen lock is held, not used: no listener starts meanwhile
  public static ResetBasis reset(Path profileDir, Optional<Passphrase> passphrase, boolean force) {
    try (ListenLock held = ListenLock.acquire(profileDir)) {
      ResetBasis basis;
      try (ParleyClient client = open(profileDir, IdentityTrust.refuseChangedKeys(), passphrase)) {
        basis = client.devices.resetBasis(force);
      }
      Path file = profileDir.resolve(STATE_FILE);
      try {
        Files.deleteIfExists(file);
        Files.deleteIfExists(profileDir.resolve(STATE_FILE + "-wal"));
        Files.deleteIfExists(profileDir.resolve(STATE_FILE + "-shm"));
      } catch (java.io.IOException e) {
        throw new ClientException("cannot delete " + file + ": " + e.getMessage(), e);
      }
      return basis;
    }
  }

  public Path profileDir() {
    return local.profileDir;
  }

  // ---- who am I

  /** This device, once registered or linked. */
  public Optional<DeviceIdentity> identity() {
    return local
        .activeRecord()
        .map(
            r ->
                new DeviceIdentity(
                    r.server(),
                    r.accountId(),
                    r.handle(),
                    r.deviceId(),
                    r.deviceName(),
                    local.fingerprint()));
  }

  /** The link request waiting for approval, if this profile made one. */
  public Optional<PendingLink> pendingLink() {
    return local.setup.pendingLink();
  }

  /** This device's identity-key fingerprint. */
  public String fingerprint() {
    return local.fingerprint();
  }

  /** GET /v1/server of a server this profile is not (yet) registered with. */
  public ServerInfo serverInfo(URI server) {
    return new ServerApi(server, local.http.get(), null).server();
  }

  // ---- registration and linking

  /**
   * Creates an account with this device as device 1: generates the password and prekeys, proposes a
   * random account id, approves its own key for it, and registers {@code handle} ({@code name}
   * alone takes the server's domain).
   */
  public DeviceIdentity register(URI server, String handle, String deviceName) {
    return local.locked(
        () -> {
          local.setup.register(server, handle, deviceName);
          // sealed sender's setup now, not at the first send (best effort: a send retries it)
          local.session().sealing().prepare();
          return identity().orElseThrow();
        });
  }

  /**
   * Asks to join an existing account: publishes this device's keys and returns the code and URI to
   * enter on a device of that account. Then call {@link #awaitLink}.
   */
  public PendingLink startLink(URI server, String deviceName) {
    return local.locked(() -> local.setup.startLink(server, deviceName));
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
    Objects.requireNonNull(consent, "consent");
    Optional<byte[]> approverKey = local.setup.awaitLink(consent);
    try {
      devices(); // learn our other devices' keys
      // what the server says this device joined is checked against the log
      local.locked(
          () -> {
            local.session().directory().requireSelfProven(approverKey);
            local.session().sealing().prepare(); // best effort: a send retries it
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
    return local.setup.linkInfo(local.session().api(), codeOrUri);
  }

  /**
   * Approves a link request: signs the approval statement (account, handle, code, new key) and the
   * device approval the key-transparency log publishes (account, new key) with this device's
   * identity key. Given a URI, refuses if the key does not match it. The new device joins once it
   * accepts this account on its own screen.
   */
  public void approveLink(String codeOrUri) {
    Session s = local.session();
    Handle handle = identity().orElseThrow().handle();
    local.locked(
        () -> {
          local.setup.approveLink(s.api(), s.account(), handle, codeOrUri);
          // the new device joins when it accepts: the next send proves this account's list again
          s.directory().expire(s.account());
          return null;
        });
  }

  /** Rejects a link request. */
  public void rejectLink(String codeOrUri) {
    local.setup.rejectLink(local.session().api(), codeOrUri);
  }

  // ---- devices

  /** This account's devices. */
  public List<DeviceSummary> devices() {
    return devices.list();
  }

  /** Removes a device of this account (this one included: the profile then stops working). */
  public void removeDevice(int deviceId) {
    devices.remove(deviceId);
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
    return local.locked(
        () -> {
          Session s = local.session();
          long alarmsBefore = s.kt().lastAlarmId();
          local.notices.drain(); // what this send finds is reported with it
          SendResult result =
              s.sending()
                  .send(
                      DeviceSetup.parseHandle(handle, s.handle()::domain), text, Optional.empty());
          return result.withEvents(local.withNews(s, alarmsBefore, result.events()));
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
    Session s = local.session();
    return local.locked(s.sending()::flush);
  }

  /** The texts waiting in the outbox, oldest first, as history entries. */
  public List<HistoryEntry> outbox() {
    Session s = local.session();
    return local.locked(
        () ->
            s.sending().pending().stream()
                .map(p -> local.history.byRow(p.messageId()))
                .flatMap(Optional::stream)
                .toList());
  }

  /**
   * Sends what waits in the outbox, and the read receipts owed; a failure is logged (they wait for
   * the next command).
   */
  void flushOutboxQuietly() {
    try {
      flushOutbox();
    } catch (ClientException e) {
      log.warn("could not send the texts waiting in the outbox: {}", e.getMessage());
    }
    sendReadReceiptsQuietly();
  }

  /** Sends the read receipts owed; a failure is logged. */
  void sendReadReceiptsQuietly() {
    try {
      receiving.sendReadReceipts();
    } catch (ClientException e) {
      log.warn("could not send read receipts: {}", e.getMessage());
    }
  }

  // ---- in a conversation (docs/spec/content.md, section 2.1)

  /**
   * Answers a message, named by its id or its first digits as {@link HistoryEntry#shortId} gives
   * them, in its own conversation (one-to-one or a group's).
   */
  public ChatResult reply(String message, String text) {
    Objects.requireNonNull(text, "text");
    if (text.isEmpty()) {
      throw new ClientException("the message is empty");
    }
    return chat(c -> c.reply(message, text));
  }

  /** Reacts to a message (one emoji, typically); it replaces this account's earlier reaction. */
  public ChatResult react(String message, String reaction) {
    return chat(c -> c.react(message, reaction));
  }

  /**
   * Tells the other side of a conversation (a handle, or a group if {@code group}) that this person
   * started or stopped typing. Only devices connected now see it; the server stores nothing of it.
   */
  public ChatResult typing(String conversation, boolean group, boolean started) {
    return chat(c -> c.typing(conversation, group, started));
  }

  /** Takes back this account's reaction to a message. */
  public ChatResult removeReaction(String message) {
    return chat(c -> c.unreact(message));
  }

  /** Edits one of this account's texts: at most 5 times, within 15 minutes of sending it. */
  public ChatResult edit(String message, String text) {
    Objects.requireNonNull(text, "text");
    return chat(c -> c.edit(message, text));
  }

  /** Unsends one of this account's texts for everyone, within 24 hours of sending it. */
  public ChatResult unsend(String message) {
    return chat(c -> c.unsend(message));
  }

  /**
   * Sets the disappearing-message timer of the conversation with {@code handle} ({@link
   * Duration#ZERO} turns it off): texts sent from now on are deleted from every device when it runs
   * out.
   */
  public ChatResult setTimer(String handle, Duration timer) {
    return chat(
        c -> c.setTimer(DeviceSetup.parseHandle(handle, local.session().handle()::domain), timer));
  }

  /** The disappearing-message timer of the conversation with {@code handle}. */
  public Duration timer(String handle) {
    Handle peer = DeviceSetup.parseHandle(handle, () -> local.session().handle().domain());
    return Duration.ofSeconds(local.locked(() -> local.chat.timer(peer.value())));
  }

  /** Sets a group's disappearing-message timer, as an admin's change of the group. */
  public GroupInfo setGroupTimer(String group, Duration timer) {
    return local.locked(() -> local.session().groups().setTimer(group, timer));
  }

  /** Whether this device sends read receipts (on unless turned off). */
  public boolean readReceipts() {
    return local.locked(local.chat::readReceipts);
  }

  /** Turns this device's read receipts on or off. */
  public void setReadReceipts(boolean on) {
    local.locked(
        () -> {
          local.chat.setReadReceipts(on);
          return null;
        });
  }

  /**
   * Marks the texts of a conversation ({@code handle}, or a group as {@link #group} takes it) read
   * on this device; their senders get read receipts, unless turned off, with the next command that
   * reaches the server.
   *
   * @return how many were unread
   */
  public int markRead(String conversation, boolean group) {
    String key =
        group
            ? group(conversation).conversation()
            : DeviceSetup.parseHandle(conversation, () -> local.session().handle().domain())
                .value();
    return local.locked(
        () -> local.chat.markRead(key, System.currentTimeMillis(), local.chat.readReceipts()));
  }

  /**
   * Deletes the disappearing messages whose time came; {@link #receive}, {@link #listen} and the
   * history do this by themselves.
   *
   * @return how many
   */
  public int expireMessages() {
    return local.locked(() -> local.chat.expire(System.currentTimeMillis()));
  }

  private ChatResult chat(java.util.function.Function<ChatSender, ChatSender.Sent> action) {
    return local.locked(
        () -> {
          Session s = local.session();
          ChatSender.Sent sent = action.apply(new ChatSender(s, local.chat));
          return new ChatResult(
              sent.conversation(), sent.messageId(), sent.devices(), sent.pending());
        });
  }

  // ---- receiving

  /**
   * Fetches, processes and acknowledges everything queued for this device, sends the delivery
   * receipts owed, and refills prekeys if the server runs low.
   *
   * @return what happened, in order
   */
  public List<ClientEvent> receive() {
    expireMessages();
    return receiving.receive();
  }

  /**
   * Listens on the WebSocket until closed, processing and acknowledging each envelope as it arrives
   * and reconnecting with backoff; {@code callback} sees every event. One listener per profile, in
   * any process: it holds the profile's listen lock until it stops.
   *
   * @throws ProfileBusyException if another listener holds this profile
   */
  public MessageListener listen(Consumer<ClientEvent> callback) {
    Session s = local.session();
    ListenLock held = ListenLock.acquire(local.profileDir);
    try {
      MessageListener listener = new MessageListener(this, s.api(), callback, held);
      listener.start();
      return listener;
    } catch (RuntimeException e) {
      held.close();
      throw e;
    }
  }

  /** Processes one envelope pushed on the WebSocket; see {@link MessageListener}. */
  EnvelopeProcessor.Outcome processPushed(Envelope envelope) {
    return receiving.processPushed(envelope);
  }

  /** Sends the receipts owed, one per peer account; failures are logged, not retried. */
  void sendReceipts(List<OwedReceipt> owed) {
    receiving.sendReceipts(owed);
  }

  /**
   * Uploads a batch of one-time prekeys of each kind the server runs low on, and replaces the
   * signed keys when they are due (docs/spec/crypto.md, "Rotating signed keys").
   */
  public KeyCounts refillPreKeys() {
    return receiving.refillPreKeys();
  }

  /** Uploads prekeys after a {@code keys_low} frame. */
  void refillPreKeys(KeyCounts counts) {
    receiving.refillPreKeys(counts);
  }

  /** Refreshes this account's device list after a {@code devices_changed} frame. */
  void refreshOwnDevices() {
    devices.refreshOwn();
  }

  // ---- verification and key transparency

  /**
   * The 60-digit safety number between this account and {@code handle}'s, over both accounts'
   * device keys the log proves (this device's own key as it is, after checking that the log lists
   * it so): compare it in person; any added, removed or replaced device changes it.
   */
  public String safetyNumber(String handle) {
    return verification.safetyNumber(handle);
  }

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
    return verification.monitor();
  }

  /**
   * Requires, from now on, a fresh signed head from this independent auditor (its public key as
   * base64url, as {@code parley audit} prints it) with every key-transparency verification; {@code
   * null} stops requiring one.
   */
  public void requireAuditor(String auditorPublicKey, Duration maxLag) {
    verification.requireAuditor(auditorPublicKey, maxLag);
  }

  /**
   * Accepts the key the log now proves for device {@code deviceId} of {@code handle}, replacing the
   * one trusted before: only after comparing in person the safety number {@link #verify} shows for
   * the new key. The log must still prove the key with this {@code fingerprint} (the one compared),
   * and it must pass the same checks as any proven key.
   */
  public void acceptChangedKey(String handle, int deviceId, String fingerprint) {
    verification.acceptChangedKey(handle, deviceId, fingerprint);
  }

  /**
   * The hash of the key-transparency log this device trusts, for an address to give others ({@code
   * https://host#kt=HASH}); empty before the first check.
   */
  public Optional<String> logHash() {
    return local.session().kt().pinnedConfigurationHash();
  }

  /** The server's key-transparency epoch in milliseconds. */
  long ktEpochMillis() {
    return local.session().kt().epochMillis();
  }

  /** Every key-transparency alarm this device raised, oldest first. */
  public List<KtAlarm> keyTransparencyAlarms() {
    return local.session().kt().alarms();
  }

  /**
   * What the key-transparency log proves about {@code handle}: its account and device list (each
   * key checked against the directory's), the tree head it was verified at, and the safety number
   * over the proven keys.
   */
  public KtStatus verify(String handle) {
    return verification.verify(handle);
  }

  // ---- groups (docs/spec/groups.md)

  /**
   * Creates a group named {@code name} with this account as its admin and the given members (by
   * handle, each proven by key transparency), and tells every device of every member.
   */
  public GroupInfo createGroup(String name, List<String> members) {
    return local.locked(
        () -> {
          Session s = local.session();
          return s.groups().create(name, handles(s, members));
        });
  }

  /** Adds members to a group (admins only); {@code group} is its id, an id prefix or its name. */
  public GroupInfo addToGroup(String group, List<String> members) {
    return local.locked(
        () -> {
          Session s = local.session();
          return s.groups().add(group, handles(s, members));
        });
  }

  /** Removes a member from a group (admins only); its devices read nothing sent afterwards. */
  public GroupInfo removeFromGroup(String group, String member) {
    return local.locked(
        () -> {
          Session s = local.session();
          return s.groups().remove(group, handles(s, List.of(member)).getFirst());
        });
  }

  /** Leaves a group (an admin hands the role on first if it is the last one). */
  public GroupInfo leaveGroup(String group) {
    return local.locked(() -> local.session().groups().leave(group));
  }

  /** Makes a member an admin, or a plain member again (admins only). */
  public GroupInfo setGroupAdmin(String group, String member, boolean admin) {
    return local.locked(
        () -> {
          Session s = local.session();
          return s.groups().setAdmin(group, handles(s, List.of(member)).getFirst(), admin);
        });
  }

  /** Renames a group (admins only). */
  public GroupInfo renameGroup(String group, String name) {
    return local.locked(() -> local.session().groups().rename(group, name));
  }

  /**
   * Replaces this device's delivery credential (docs/spec/sealed-sender.md): the server stops
   * accepting sealed sends under the old one at once, and the people this device writes to get the
   * new one with its next text to each. Whoever held the old one sends to this device unsealed
   * (named to the server) until then.
   */
  public void rotateDeliveryCredential() {
    local.locked(
        () -> {
          local.session().sealing().rotate();
          return null;
        });
  }

  /**
   * Where sealed sender stands on this device: the pinned trust root, whether its credential is
   * registered, how many contact devices it can send sealed to. Pins and registers first if the
   * server can be reached and that was not done yet.
   */
  public SealedStatus sealedStatus() {
    return local.locked(
        () -> {
          Sealing sealing = local.session().sealing();
          sealing.prepare();
          return sealing.status();
        });
  }

  /** The groups this device holds, by name. */
  public List<GroupInfo> groups() {
    return local.locked(() -> local.session().groups().list());
  }

  /** One group this device holds. */
  public GroupInfo group(String group) {
    return local.locked(() -> local.session().groups().show(group));
  }

  /**
   * Sends a text to a group: encrypted once with this device's sender key, to every member device
   * the log proves.
   *
   * @return how many devices it went to, and any member it could not reach, with why
   */
  public GroupSendResult sendToGroup(String group, String text) {
    Objects.requireNonNull(text, "text");
    return local.locked(
        () -> {
          GroupSender.Result r = local.session().groupSender().send(group, text);
          return new GroupSendResult(r.messageId(), r.devices(), r.notes());
        });
  }

  /** The last {@code limit} entries of a group's conversation, oldest first. */
  public List<HistoryEntry> groupHistory(String group, int limit) {
    GroupInfo info = group(group);
    expireMessages();
    return local.history.conversation(info.conversation(), limit);
  }

  private static List<Handle> handles(Session s, List<String> members) {
    return members.stream().map(m -> DeviceSetup.parseHandle(m, s.handle()::domain)).toList();
  }

  // ---- history

  /** The last {@code limit} entries of the conversation with {@code handle}, oldest first. */
  public List<HistoryEntry> history(String handle, int limit) {
    Handle peer = DeviceSetup.parseHandle(handle, () -> local.session().handle().domain());
    expireMessages();
    return local.history.conversation(peer.value(), limit);
  }

  /** The handles of all conversations, most recent first. */
  public List<String> conversations() {
    return local.history.peers();
  }

  @Override
  public void close() {
    local.close();
  }
}
