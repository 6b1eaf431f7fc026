package org.parley.server.kt;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.parley.keytrans.operator.PreparedVersion;
import org.parley.keytrans.operator.TransparencyLog;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.account.DeviceInfo;
import org.parley.protocol.Handle;
import org.parley.protocol.kt.DeviceListValue;
import org.parley.protocol.kt.LinkSerial;
import org.parley.protocol.message.Envelope;

/**
 * The test-only switch that makes this server behave like a compromised or coerced operator, so
 * tests can show that clients and auditors catch it. Every method is a no-op unless the server
 * was started with misbehaviour enabled, which only a test configuration can do
 * ({@code ServerConfig.validate} refuses it otherwise).
 */
public final class Misbehaviour {
  private final boolean enabled;
  private final Map<AccountId, GhostRequest> ghosts = new ConcurrentHashMap<>();
  private final Map<AccountId, Map<DeviceId, DeviceListValue.Entry>> revived =
      new ConcurrentHashMap<>();
  private final Map<AccountId, Handle> relabelled = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();

  Misbehaviour(boolean enabled) {
    this.enabled = enabled;
  }

  public boolean enabled() {
    return enabled;
  }

  /**
   * From the next epoch on, publishes a ghost device in {@code account}'s device list: a key no
   * device of the account approved (the one asked for, or a random one), claiming approval by the
   * device asked for (by default the account's first listed device) with a random signature.
   */
  public void addGhostDevice(AccountId account, GhostRequest ghost) {
    require();
    byte[] key = ghost.identityKey();
    if (key == null) {
      key = new byte[DeviceListValue.IDENTITY_KEY_LENGTH];
      random.nextBytes(key);
      key[0] = 0x05; // the Curve25519 key type byte, so the key looks like any other
    }
    ghosts.put(account, new GhostRequest(key, ghost.approver(),
        ghost.deviceId() == null ? DeviceId.of(GHOST_DEVICE_ID) : ghost.deviceId()));
  }

  /**
   * The device list the server's directory answers with (GET /v1/accounts/{accountId}/devices):
   * with the ghost (and its key) and any revived device for a target account, so that a client
   * trusting the directory would encrypt to them, and under a relabelled handle.
   */
  public org.parley.protocol.account.DeviceList served(
      org.parley.protocol.account.DeviceList honest) {
    if (!enabled) {
      return honest;
    }
    AccountId account = honest.accountId();
    var devices = new java.util.TreeMap<DeviceId, org.parley.protocol.account.DeviceInfo>();
    honest.devices().forEach(d -> devices.put(d.deviceId(), d));
    long now = System.currentTimeMillis();
    revived.getOrDefault(account, Map.of()).values().forEach(e -> devices.putIfAbsent(e.deviceId(),
        new org.parley.protocol.account.DeviceInfo(e.deviceId(), "revived",
            REVIVED_REGISTRATION_ID, e.identityKey(), now)));
    GhostRequest ghost = ghosts.get(account);
    if (ghost != null) {
      byte[] key = ghost.identityKey();
      DeviceInfo replaced = devices.get(ghost.deviceId());
      devices.put(ghost.deviceId(), new org.parley.protocol.account.DeviceInfo(ghost.deviceId(),
          "ghost", replaced == null ? 4242 : replaced.registrationId(), key.clone(), now));
    }
    return servedToOwner(new org.parley.protocol.account.DeviceList(account, honest.handle(),
        List.copyOf(devices.values())));
  }

  /**
   * The device list the account's own devices are answered with (GET /v1/accounts/me): honest but
   * for a relabelled handle. The owner is not shown the ghost or a revived device, so that only
   * the log can tell it.
   */
  public org.parley.protocol.account.DeviceList servedToOwner(
      org.parley.protocol.account.DeviceList honest) {
    if (!enabled) {
      return honest;
    }
    Handle handle = relabelled.getOrDefault(honest.accountId(), honest.handle());
    Map<DeviceId, byte[]> keys = directoryKeys.getOrDefault(honest.accountId(), Map.of());
    var devices = honest.devices().stream().map(d -> keys.containsKey(d.deviceId())
        ? new org.parley.protocol.account.DeviceInfo(d.deviceId(), d.name(), d.registrationId(),
            keys.get(d.deviceId()).clone(), d.createdAt())
        : d).toList();
    return new org.parley.protocol.account.DeviceList(honest.accountId(), handle, devices);
  }

  private final Map<AccountId, Map<DeviceId, byte[]>> directoryKeys = new ConcurrentHashMap<>();

  /**
   * From now on, the directory lists {@code device} of {@code account} with {@code identityKey}
   * instead of its real key (the log is not changed): a server lying to a device about its own
   * key, which must not change the device's safety number.
   */
  public void directoryKey(AccountId account, DeviceId device, byte[] identityKey) {
    require();
    directoryKeys.computeIfAbsent(account, a -> new ConcurrentHashMap<>())
        .put(device, identityKey.clone());
  }

  private volatile Handle registeredAs;

  /** The next registration is answered as if it had registered {@code handle}. */
  public void answerNextRegistrationAs(Handle handle) {
    require();
    registeredAs = handle;
  }

  /** The registration answer as the switch wants it served. */
  public org.parley.protocol.account.RegisterResponse registered(
      org.parley.protocol.account.RegisterResponse honest) {
    Handle lie = enabled ? registeredAs : null;
    if (lie == null) {
      return honest;
    }
    registeredAs = null;
    return new org.parley.protocol.account.RegisterResponse(honest.accountId(), lie,
        honest.deviceId());
  }

  /**
   * The device list the log publishes for {@code account}: the honest one, or with a ghost and any
   * revived devices.
   */
  DeviceListValue deviceList(AccountId account, DeviceListValue honest) {
    Map<DeviceId, DeviceListValue.Entry> back = enabled ? revived.get(account) : null;
    GhostRequest ghost = enabled ? ghosts.get(account) : null;
    if ((back == null && ghost == null) || honest.entries().isEmpty()) {
      return honest;
    }
    var entries = new java.util.TreeMap<DeviceId, DeviceListValue.Entry>();
    honest.entries().forEach(e -> entries.put(e.deviceId(), e));
    if (back != null) {
      back.values().forEach(e -> entries.putIfAbsent(e.deviceId(), e));
    }
    if (ghost != null) {
      byte[] signature = new byte[DeviceListValue.SIGNATURE_LENGTH];
      random.nextBytes(signature);
      DeviceId approver = ghost.approver() != null ? ghost.approver()
          : honest.entries().getFirst().deviceId();
      // the approver by its serial (a device the list never had: its id as the serial); a ghost
      // over a real device keeps that device's serial (a swapped key), any other takes a new one
      LinkSerial approverSerial = honest.entry(approver).map(DeviceListValue.Entry::serial)
          .orElse(LinkSerial.of(approver.value()));
      LinkSerial serial = honest.entry(ghost.deviceId()).map(DeviceListValue.Entry::serial)
          .orElse(LinkSerial.of(Math.max(honest.greatestSerial().value(), DeviceId.MAX) + 1));
      entries.put(ghost.deviceId(), new DeviceListValue.Entry(
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
    require();
    revived.computeIfAbsent(account, a -> new ConcurrentHashMap<>()).put(entry.deviceId(), entry);
  }

  /** What {@link KtService#reviveDevice} did. */
  public enum Revival {
    /** The entry is queued for the next epoch and listed in the directory. */
    REVIVED,
    /** The account still has the device: there is nothing to bring back. */
    STILL_LISTED,
    /** No published version of the account's list holds the device. */
    NEVER_PUBLISHED
  }

  /**
   * From now on, delivers every envelope from {@code account} (queued ones too) under {@code
   * handle}, and names the account so in its directory device list; handle look-ups stay honest.
   */
  public void relabel(AccountId account, Handle handle) {
    require();
    relabelled.put(account, handle);
  }

  /**
   * The envelope a forging server queues: the request's sender and ciphertext under a fresh
   * envelope id and the server's timestamp, exactly as an honest send would be stored.
   */
  Envelope forge(InjectRequest request, long serverTimestamp) {
    require();
    return new Envelope(java.util.UUID.randomUUID().toString(), request.sourceAccountId(),
        request.sourceHandle(), request.sourceDeviceId(), request.type(), request.timestamp(),
        serverTimestamp, request.content());
  }

  /** An envelope as the switch delivers it: under the relabelled handle of its source account. */
  public Envelope delivered(Envelope honest) {
    Handle handle = enabled ? relabelled.get(honest.sourceAccountId()) : null;
    return handle == null ? honest
        : new Envelope(honest.id(), honest.sourceAccountId(), handle, honest.sourceDeviceId(),
            honest.type(), honest.timestamp(), honest.serverTimestamp(), honest.content());
  }

  /** Label versions the honest publisher would not make (none yet beyond the ghost device). */
  List<PreparedVersion> extraVersions(TransparencyLog log, SecureRandom random) {
    return List.of();
  }

  private volatile AccountId hideTarget;
  private volatile org.parley.keytrans.prefix.PrefixLeaf hidden;

  /**
   * Inserts a ghost version of {@code account}'s device list in the next entry (its true search
   * key, a commitment to a list with a ghost device) and removes it again in the entry after, so
   * that the owner, checking later, never sees it: the attack the auditor's step 5 stops.
   */
  public void insertThenRemoveGhostVersion(AccountId account) {
    require();
    hideTarget = account;
  }

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

  private volatile Tamper tamper = Tamper.NONE;
  private volatile AccountId tamperTarget;

  /** From now on, alters every search for {@code account}'s device list as {@code mode} says. */
  public void tamperSearches(AccountId account, Tamper mode) {
    require();
    tamperTarget = account;
    tamper = mode;
  }

  /** The search response as the switch wants it served. */
  public org.parley.keytrans.message.SearchResponse tamper(
      org.parley.keytrans.message.SearchRequest request,
      org.parley.keytrans.message.SearchResponse honest, TransparencyLog log) {
    AccountId target = tamperTarget;
    if (!enabled || target == null || tamper == Tamper.NONE
        || !java.util.Arrays.equals(request.label().bytes(),
            org.parley.protocol.kt.KtLabels.account(target))) {
      return honest;
    }
    long version = honest.version().orElse(request.version().orElse(0));
    return switch (tamper) {
      case NONE -> honest;
      case SWAP_VALUE -> {
        byte[] ghost = new byte[64];
        random.nextBytes(ghost);
        yield new org.parley.keytrans.message.SearchResponse(honest.fullTreeHead(),
            honest.version(), honest.opening(), org.parley.keytrans.commit.UpdateValue.of(ghost),
            honest.binaryLadder(), honest.search());
      }
      case LIFT_VRF -> {
        var other = new org.parley.keytrans.commit.Label(
            org.parley.protocol.kt.KtLabels.account(AccountId.random()));
        var ladder = new ArrayList<>(honest.binaryLadder());
        int i = org.parley.keytrans.combined.Searches.ladderVersions(version).indexOf(version);
        ladder.set(i, new org.parley.keytrans.message.BinaryLadderStep(
            log.vrfProof(other, version), ladder.get(i).commitment()));
        yield new org.parley.keytrans.message.SearchResponse(honest.fullTreeHead(),
            honest.version(), honest.opening(), honest.value(), ladder, honest.search());
      }
      case ROLLBACK -> new org.parley.keytrans.message.SearchResponse(
          new org.parley.keytrans.head.FullTreeHead.Updated(
              log.signedHeadAt(Math.max(1, log.size() / 2)), java.util.Optional.empty()),
          honest.version(), honest.opening(), honest.value(), honest.binaryLadder(),
          honest.search());
    };
  }

  /** Whether the next publish must append an entry even with nothing pending. */
  boolean hasWork() {
    return enabled && (hideTarget != null || hidden != null);
  }

  /** Leaves to add to the next entry that belong to no version the log records. */
  List<org.parley.keytrans.prefix.PrefixLeaf> strayLeaves(TransparencyLog log) {
    AccountId target = hideTarget;
    if (!enabled || target == null) {
      return List.of();
    }
    var label = new org.parley.keytrans.commit.Label(
        org.parley.protocol.kt.KtLabels.account(target));
    long next = log.greatestVersion(label) + 1;
    byte[] ghost = new byte[64];
    random.nextBytes(ghost);
    PreparedVersion version = log.prepare(label, next,
        org.parley.keytrans.commit.UpdateValue.of(ghost), random);
    return List.of(new org.parley.keytrans.prefix.PrefixLeaf(version.searchKey(),
        org.parley.keytrans.log.HashValue.of(version.commitment().bytes())));
  }

  /** Keys to remove in the next entry. */
  List<org.parley.keytrans.prefix.SearchKey> removals() {
    var leaf = hidden;
    return enabled && leaf != null ? List.of(leaf.vrfOutput()) : List.of();
  }

  /** Moves the insert-then-remove attack on after an entry was appended. */
  void appended(TransparencyLog.StagedEpoch staged) {
    if (!enabled) {
      return;
    }
    if (!staged.removed().isEmpty()) {
      hidden = null;
    }
    if (!staged.strayLeaves().isEmpty()) {
      hidden = staged.strayLeaves().getFirst();
      hideTarget = null;
    }
  }

  private void require() {
    if (!enabled) {
      throw new IllegalStateException("misbehaviour is not enabled on this server");
    }
  }

  /** The device id the ghost claims: the largest possible, never handed out before 127 links. */
  public static final int GHOST_DEVICE_ID = 127;

  /** The registration id the directory gives a revived device (the log has none to tell). */
  public static final int REVIVED_REGISTRATION_ID = 4243;
}
