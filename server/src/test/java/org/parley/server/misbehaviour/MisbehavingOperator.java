package org.parley.server.misbehaviour;

import io.javalin.Javalin;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.parley.keytrans.combined.Searches;
import org.parley.keytrans.commit.Label;
import org.parley.keytrans.commit.UpdateValue;
import org.parley.keytrans.head.FullTreeHead;
import org.parley.keytrans.log.HashValue;
import org.parley.keytrans.message.BinaryLadderStep;
import org.parley.keytrans.message.SearchRequest;
import org.parley.keytrans.message.SearchResponse;
import org.parley.keytrans.operator.PreparedVersion;
import org.parley.keytrans.operator.TransparencyLog;
import org.parley.keytrans.prefix.PrefixLeaf;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.Handle;
import org.parley.protocol.account.DeviceInfo;
import org.parley.protocol.account.DeviceList;
import org.parley.protocol.account.RegisterResponse;
import org.parley.protocol.kt.DeviceListValue;
import org.parley.protocol.kt.KtLabels;
import org.parley.protocol.kt.LinkSerial;
import org.parley.protocol.message.Envelope;
import org.parley.server.kt.OperatorHook;

/**
 * A compromised or coerced operator, so tests can show that clients and auditors catch it: test
 * code only, found by the server through {@code META-INF/services} and run only on a server started
 * with {@code --kt-test-misbehaviour true}. Honest until told otherwise through its routes ({@link
 * MisbehaviourRoutes}, docs/spec/api.md "Test-only endpoints").
 */
public final class MisbehavingOperator implements OperatorHook {
  /** The device id the ghost claims: the largest possible, never handed out before 127 links. */
  public static final int GHOST_DEVICE_ID = 127;

  /** The registration id the directory gives a revived device (the log has none to tell). */
  public static final int REVIVED_REGISTRATION_ID = 4243;

  private final Map<AccountId, GhostRequest> ghosts = new ConcurrentHashMap<>();
  private final Map<AccountId, Map<DeviceId, DeviceListValue.Entry>> revived =
      new ConcurrentHashMap<>();
  private final Map<AccountId, Handle> relabelled = new ConcurrentHashMap<>();
  private final Map<AccountId, Map<DeviceId, byte[]>> directoryKeys = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();
  private volatile Handle registeredAs;
  private volatile AccountId hideTarget;
  private volatile PrefixLeaf hidden;
  private volatile Tamper tamper = Tamper.NONE;
  private volatile AccountId tamperTarget;

  /** How searches for an account's device list are altered (issue 3, scenario 4). */
  public enum Tamper {
    /** Answer honestly. */
    NONE,
    /** Serve a device list with a ghost under the real version's opening and commitment. */
    SWAP_VALUE,
    /** Serve the target version's VRF proof from another label (the account's handle). */
    LIFT_VRF,
    /** Serve a head of half the log's size: a rollback. */
    ROLLBACK
  }

  @Override
  public void install(Javalin app, Parts parts) {
    new MisbehaviourRoutes(this, parts).install(app);
  }

  /**
   * From the next epoch on, publishes a ghost device in {@code account}'s device list: a key no
   * device of the account approved (the one asked for, or a random one), claiming approval by the
   * device asked for (by default the account's first listed device) with a random signature.
   */
  void addGhostDevice(AccountId account, GhostRequest ghost) {
    byte[] key = ghost.identityKey();
    if (key == null) {
      key = new byte[DeviceListValue.IDENTITY_KEY_LENGTH];
      random.nextBytes(key);
      key[0] = 0x05; // the Curve25519 key type byte, so the key looks like any other
    }
    ghosts.put(
        account,
        new GhostRequest(
            key,
            ghost.approver(),
            ghost.deviceId() == null ? DeviceId.of(GHOST_DEVICE_ID) : ghost.deviceId()));
  }

  /**
   * The directory's device list (GET /v1/accounts/{accountId}/devices): with the ghost (and its
   * key) and any revived device for a target account, so that a client trusting the directory would
   * encrypt to them, and under a relabelled handle.
   */
  @Override
  public DeviceList directory(DeviceList honest) {
    AccountId account = honest.accountId();
    var devices = new TreeMap<DeviceId, DeviceInfo>();
    honest.devices().forEach(d -> devices.put(d.deviceId(), d));
    long now = System.currentTimeMillis();
    revived
        .getOrDefault(account, Map.of())
        .values()
        .forEach(
            e ->
                devices.putIfAbsent(
                    e.deviceId(),
                    new DeviceInfo(
                        e.deviceId(), "revived", REVIVED_REGISTRATION_ID, e.identityKey(), now)));
    GhostRequest ghost = ghosts.get(account);
    if (ghost != null) {
      DeviceInfo replaced = devices.get(ghost.deviceId());
      devices.put(
          ghost.deviceId(),
          new DeviceInfo(
              ghost.deviceId(),
              "ghost",
              replaced == null ? 4242 : replaced.registrationId(),
              ghost.identityKey().clone(),
              now));
    }
    return ownDevices(new DeviceList(account, honest.handle(), List.copyOf(devices.values())));
  }

  /**
   * The device list the account's own devices are answered with (GET /v1/accounts/me): honest but
   * for a relabelled handle and a lied-about key. The owner is not shown the ghost or a revived
   * device, so that only the log can tell it.
   */
  @Override
  public DeviceList ownDevices(DeviceList honest) {
    Handle handle = relabelled.getOrDefault(honest.accountId(), honest.handle());
    Map<DeviceId, byte[]> keys = directoryKeys.getOrDefault(honest.accountId(), Map.of());
    var devices =
        honest.devices().stream()
            .map(
                d ->
                    keys.containsKey(d.deviceId())
                        ? new DeviceInfo(
                            d.deviceId(),
                            d.name(),
                            d.registrationId(),
                            keys.get(d.deviceId()).clone(),
                            d.createdAt())
                        : d)
            .toList();
    return new DeviceList(honest.accountId(), handle, devices);
  }

  /**
   * From now on, the directory lists {@code device} of {@code account} with {@code identityKey}
   * instead of its real key (the log is not changed): a server lying to a device about its own key,
   * which must not change the device's safety number.
   */
  void directoryKey(AccountId account, DeviceId device, byte[] identityKey) {
    directoryKeys
        .computeIfAbsent(account, a -> new ConcurrentHashMap<>())
        .put(device, identityKey.clone());
  }

  /** The next registration is answered as if it had registered {@code handle}. */
  void answerNextRegistrationAs(Handle handle) {
    registeredAs = handle;
  }

  @Override
  public RegisterResponse registered(RegisterResponse honest) {
    Handle lie = registeredAs;
    if (lie == null) {
      return honest;
    }
    registeredAs = null;
    return new RegisterResponse(honest.accountId(), lie, honest.deviceId());
  }

  /** The device list the log publishes: the honest one, or with a ghost and revived devices. */
  @Override
  public DeviceListValue published(AccountId account, DeviceListValue honest) {
    Map<DeviceId, DeviceListValue.Entry> back = revived.get(account);
    GhostRequest ghost = ghosts.get(account);
    if ((back == null && ghost == null) || honest.entries().isEmpty()) {
      return honest;
    }
    var entries = new TreeMap<DeviceId, DeviceListValue.Entry>();
    honest.entries().forEach(e -> entries.put(e.deviceId(), e));
    if (back != null) {
      back.values().forEach(e -> entries.putIfAbsent(e.deviceId(), e));
    }
    if (ghost != null) {
      byte[] signature = new byte[DeviceListValue.SIGNATURE_LENGTH];
      random.nextBytes(signature);
      DeviceId approver =
          ghost.approver() != null ? ghost.approver() : honest.entries().getFirst().deviceId();
      // the approver by its serial (a device the list never had: its id as the serial); a ghost
      // over a real device keeps that device's serial (a swapped key), any other takes a new one
      LinkSerial approverSerial =
          honest
              .entry(approver)
              .map(DeviceListValue.Entry::serial)
              .orElse(LinkSerial.of(approver.value()));
      LinkSerial serial =
          honest
              .entry(ghost.deviceId())
              .map(DeviceListValue.Entry::serial)
              .orElse(LinkSerial.of(Math.max(honest.greatestSerial().value(), DeviceId.MAX) + 1));
      entries.put(
          ghost.deviceId(),
          new DeviceListValue.Entry(
              ghost.deviceId(), serial, ghost.identityKey(), approverSerial, signature));
    }
    return new DeviceListValue(List.copyOf(entries.values()));
  }

  /**
   * From the next epoch on, publishes {@code entry} (a removed device's entry as the log last
   * published it: its key and its old, still valid approval) in {@code account}'s device list
   * again, and lists the device in the directory: a server bringing back a device the owner
   * removed. The caller queues the account so that the next epoch publishes it.
   */
  void reviveDevice(AccountId account, DeviceListValue.Entry entry) {
    revived.computeIfAbsent(account, a -> new ConcurrentHashMap<>()).put(entry.deviceId(), entry);
  }

  /**
   * From now on, delivers every envelope from {@code account} (queued ones too) under {@code
   * handle}, and names the account so in its directory device list; handle look-ups stay honest.
   */
  void relabel(AccountId account, Handle handle) {
    relabelled.put(account, handle);
  }

  /** Accounts whose devices get sender certificates under a trust root nobody pinned. */
  private final java.util.Set<AccountId> rootless = ConcurrentHashMap.newKeySet();

  private final org.parley.crypto.SenderCertificates otherRoot =
      new org.parley.crypto.SenderCertificates(
          org.parley.crypto.SenderCertificates.newPrivateKey(),
          org.parley.crypto.SenderCertificates.newPrivateKey());

  /** From now on, certifies {@code account}'s devices under another trust root than its own. */
  void certifyUnderAnotherRoot(AccountId account) {
    rootless.add(account);
  }

  @Override
  public byte[] senderCertificate(AccountId account, byte[] honest) {
    if (!rootless.contains(account)) {
      return honest;
    }
    try {
      var parsed = new org.signal.libsignal.metadata.certificate.SenderCertificate(honest);
      return otherRoot.issue(
          account,
          org.parley.protocol.DeviceId.of(parsed.getSenderDeviceId()),
          Handle.of(parsed.getSenderE164().orElseThrow()),
          new org.parley.crypto.IdentityPublicKey(parsed.getKey().serialize()),
          parsed.getExpiration());
    } catch (org.signal.libsignal.metadata.certificate.InvalidCertificateException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The envelope a forging server queues: the request's sender and ciphertext under a fresh
   * envelope id and the server's timestamp, exactly as an honest send would be stored.
   */
  static Envelope forge(InjectRequest request, long serverTimestamp) {
    return new Envelope(
        UUID.randomUUID().toString(),
        request.sourceAccountId(),
        request.sourceHandle(),
        request.sourceDeviceId(),
        request.type(),
        request.timestamp(),
        serverTimestamp,
        request.content());
  }

  /** An envelope under the relabelled handle of its source account. */
  @Override
  public Envelope delivered(Envelope honest) {
    if (honest.sealed()) {
      return honest; // names nobody to relabel
    }
    Handle handle = relabelled.get(honest.sourceAccountId());
    return handle == null
        ? honest
        : new Envelope(
            honest.id(),
            honest.sourceAccountId(),
            handle,
            honest.sourceDeviceId(),
            honest.type(),
            honest.timestamp(),
            honest.serverTimestamp(),
            honest.content());
  }

  /**
   * Inserts a ghost version of {@code account}'s device list in the next entry (its true search
   * key, a commitment to a list with a ghost device) and removes it again in the entry after, so
   * that the owner, checking later, never sees it: the attack the auditor's step 5 stops.
   */
  void insertThenRemoveGhostVersion(AccountId account) {
    hideTarget = account;
  }

  /** From now on, alters every search for {@code account}'s device list as {@code mode} says. */
  void tamperSearches(AccountId account, Tamper mode) {
    tamperTarget = account;
    tamper = mode;
  }

  @Override
  public SearchResponse searched(
      SearchRequest request, SearchResponse honest, TransparencyLog log) {
    AccountId target = tamperTarget;
    Tamper mode = tamper;
    if (target == null
        || mode == Tamper.NONE
        || !Arrays.equals(request.label().bytes(), KtLabels.account(target))) {
      return honest;
    }
    long version = honest.version().orElse(request.version().orElse(0));
    return switch (mode) {
      case NONE -> honest;
      case SWAP_VALUE ->
          new SearchResponse(
              honest.fullTreeHead(),
              honest.version(),
              honest.opening(),
              UpdateValue.of(randomBytes(64)),
              honest.binaryLadder(),
              honest.search());
      case LIFT_VRF -> {
        var other = new Label(KtLabels.account(AccountId.random()));
        var ladder = new ArrayList<>(honest.binaryLadder());
        int i = Searches.ladderVersions(version).indexOf(version);
        ladder.set(
            i, new BinaryLadderStep(log.vrfProof(other, version), ladder.get(i).commitment()));
        yield new SearchResponse(
            honest.fullTreeHead(),
            honest.version(),
            honest.opening(),
            honest.value(),
            ladder,
            honest.search());
      }
      case ROLLBACK ->
          new SearchResponse(
              new FullTreeHead.Updated(
                  log.signedHeadAt(Math.max(1, log.size() / 2)), Optional.empty()),
              honest.version(),
              honest.opening(),
              honest.value(),
              honest.binaryLadder(),
              honest.search());
    };
  }

  /**
   * The insert-then-remove attack: a leaf of no recorded version (a ghost of the target's next
   * version) in one entry, its removal in the next.
   */
  @Override
  public EntryExtras nextEntry(TransparencyLog log) {
    List<PrefixLeaf> stray = List.of();
    AccountId target = hideTarget;
    if (target != null) {
      var label = new Label(KtLabels.account(target));
      PreparedVersion version =
          log.prepare(
              label, log.greatestVersion(label) + 1, UpdateValue.of(randomBytes(64)), random);
      stray =
          List.of(new PrefixLeaf(version.searchKey(), HashValue.of(version.commitment().bytes())));
    }
    PrefixLeaf leaf = hidden;
    return new EntryExtras(stray, leaf == null ? List.of() : List.of(leaf.vrfOutput()));
  }

  /** Moves the insert-then-remove attack on after an entry was appended. */
  @Override
  public void appended(TransparencyLog.StagedEpoch staged) {
    if (!staged.removed().isEmpty()) {
      hidden = null;
    }
    if (!staged.strayLeaves().isEmpty()) {
      hidden = staged.strayLeaves().getFirst();
      hideTarget = null;
    }
  }

  private byte[] randomBytes(int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }
}
