package org.parley.server.kt;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.parley.keytrans.operator.PreparedVersion;
import org.parley.keytrans.operator.TransparencyLog;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.kt.DeviceListValue;

/**
 * The test-only switch that makes this server behave like a compromised or coerced operator, so
 * tests can show that clients and auditors catch it. Every method is a no-op unless the server
 * was started with misbehaviour enabled, which only a test configuration can do
 * ({@code ServerConfig.validate} refuses it otherwise).
 */
public final class Misbehaviour {
  private final boolean enabled;
  private final java.util.Map<AccountId, byte[]> ghostKeys = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();

  Misbehaviour(boolean enabled) {
    this.enabled = enabled;
  }

  public boolean enabled() {
    return enabled;
  }

  /**
   * From the next epoch on, publishes a ghost device in {@code account}'s device list: a key no
   * device of the account approved, claiming approval by the account's first listed device.
   */
  public void addGhostDevice(AccountId account) {
    require();
    byte[] key = new byte[DeviceListValue.IDENTITY_KEY_LENGTH];
    random.nextBytes(key);
    key[0] = 0x05; // the Curve25519 key type byte, so the key looks like any other
    ghostKeys.put(account, key);
  }

  /**
   * The device list the server's directory answers with: with the ghost (and its key) for a
   * target account, so that a client trusting the directory would encrypt to it.
   */
  public org.parley.protocol.account.DeviceList served(
      org.parley.protocol.account.DeviceList honest) {
    byte[] key = enabled ? ghostKeys.get(honest.accountId()) : null;
    if (key == null) {
      return honest;
    }
    List<org.parley.protocol.account.DeviceInfo> devices = new ArrayList<>(honest.devices());
    devices.add(new org.parley.protocol.account.DeviceInfo(DeviceId.of(GHOST_DEVICE_ID), "ghost",
        4242, key.clone(), System.currentTimeMillis()));
    return new org.parley.protocol.account.DeviceList(honest.accountId(), honest.handle(), devices);
  }

  /** The device list the log publishes for {@code account}: the honest one, or with a ghost. */
  DeviceListValue deviceList(AccountId account, DeviceListValue honest) {
    byte[] key = enabled ? ghostKeys.get(account) : null;
    if (key == null || honest.entries().isEmpty()) {
      return honest;
    }
    List<DeviceListValue.Entry> entries = new ArrayList<>(honest.entries());
    byte[] signature = new byte[DeviceListValue.SIGNATURE_LENGTH];
    random.nextBytes(signature);
    entries.add(new DeviceListValue.Entry(DeviceId.of(GHOST_DEVICE_ID), key,
        honest.entries().getFirst().deviceId(), signature));
    return new DeviceListValue(entries);
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
}
