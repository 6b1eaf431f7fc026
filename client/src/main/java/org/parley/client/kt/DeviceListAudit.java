package org.parley.client.kt;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.parley.crypto.IdentityPublicKey;
import org.parley.crypto.InvalidKeyMaterialException;
import org.parley.crypto.Signatures;
import org.parley.protocol.AccountId;
import org.parley.protocol.kt.DeviceListValue;
import org.parley.protocol.kt.DeviceListValue.Entry;
import org.parley.protocol.kt.LinkSerial;

/**
 * What a device of an account checks, on its own, in each new version of its account's published
 * device list (docs/spec/keytrans-values.md, "Checking a new version"): that every device added or
 * re-keyed since the previous version was approved by a device of the account. Pure: no I/O, no
 * state.
 *
 * <p>The rules, for version {@code next} after {@code previous}:
 *
 * <p>Devices are matched between versions, and approvers found, by link serial: a device id is a
 * slot a later device may take over.
 *
 * <ul>
 *   <li>An entry equal to its entry in {@code previous} (same serial, id, key and approval) was
 *       checked then and is accepted.
 *   <li>Any other entry (a new device, or a new key or approval for an id) is accepted if its
 *       approval verifies under the key its approver has <em>in {@code previous}</em>, or, when the
 *       approver is a device new in {@code next}, under the approver's key in {@code next} once the
 *       approver itself is accepted (several links published as one version chain back to a device
 *       of {@code previous}). A device never approves itself.
 *   <li>Version 0 (no {@code previous}) is the registration: serial 1 approved by itself, and
 *       possibly devices linked before the first publication, each approved along a chain from
 *       serial 1. Nothing else; in particular not a version 0 without serial 1.
 *   <li>A device that is in {@code previous} and not in {@code next} is reported as {@link
 *       DeviceListProblem.Kind#REMOVED}, not an alarm.
 * </ul>
 *
 * <p>The approval statement binds the account and the key, not the device id or a time, so the
 * checks above cannot tell a removed device put back by the server with its old approval, nor one
 * entry copied under a second id. Both carry a key the account has used before: {@link
 * DeviceListProblem.Kind#REUSED_KEY} flags an added or re-keyed device whose key is listed for
 * another device, was listed in {@code previous}, or is among the {@code retiredKeys} the caller
 * remembers from earlier removals; and a device whose serial is new in {@code next} but not greater
 * than every serial of {@code previous} (serials only grow: it was put back).
 */
public final class DeviceListAudit {
  private DeviceListAudit() {}

  /** Checks {@code next} against {@code previous} (empty for version 0); no retired keys. */
  public static List<DeviceListProblem> check(
      AccountId account, Optional<DeviceListValue> previous, DeviceListValue next) {
    return check(account, previous, next, List.of());
  }

  /**
   * Checks {@code next} against {@code previous} (empty for version 0).
   *
   * @param retiredKeys keys of devices this account removed in earlier versions, which no device
   *     may come back with
   * @return the problems in device id order, the alarms first; empty if the change is approved
   */
  public static List<DeviceListProblem> check(
      AccountId account,
      Optional<DeviceListValue> previous,
      DeviceListValue next,
      Collection<byte[]> retiredKeys) {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(previous, "previous");
    Objects.requireNonNull(next, "next");
    // by link serial, not device id: an id is a slot a later device may take over
    Map<LinkSerial, Entry> before =
        bySerial(previous.map(DeviceListValue::entries).orElse(List.of()));
    Map<LinkSerial, Entry> after = bySerial(next.entries());

    Set<LinkSerial> accepted = new HashSet<>();
    List<Entry> changed = new ArrayList<>();
    for (Entry e : next.entries()) {
      if (e.equals(before.get(e.serial()))) {
        accepted.add(e.serial());
      } else {
        changed.add(e);
      }
    }
    // Accept changed entries whose approver is trusted, until nothing more can be accepted: an
    // approver new in this version counts once it is accepted itself.
    List<Entry> waiting = new ArrayList<>(changed);
    boolean progress = true;
    while (progress) {
      progress = false;
      for (var it = waiting.iterator(); it.hasNext(); ) {
        Entry e = it.next();
        Optional<byte[]> key = approverKey(e, previous.isPresent(), before, after, accepted);
        if (key.isPresent() && verifies(account, key.get(), e)) {
          accepted.add(e.serial());
          it.remove();
          progress = true;
        }
      }
    }

    List<DeviceListProblem> problems = new ArrayList<>();
    for (Entry e : waiting) {
      problems.add(
          new DeviceListProblem(
              DeviceListProblem.Kind.UNAPPROVED,
              e.deviceId(),
              whyUnapproved(e, previous.isPresent(), before, after, accepted)));
    }
    Set<ByteBuffer> retired = new HashSet<>();
    retiredKeys.forEach(k -> retired.add(ByteBuffer.wrap(k.clone())));
    Optional<LinkSerial> greatestBefore = previous.map(DeviceListValue::greatestSerial);
    for (Entry e : changed) {
      Entry old = before.get(e.serial());
      if (old != null && old.sameKey(e)) {
        continue; // a new approval for the same key, checked above
      }
      if (old == null
          && greatestBefore.isPresent()
          && e.serial().compareTo(greatestBefore.get()) <= 0) {
        // serials only grow: a device new in this version with an old serial is one put back
        problems.add(
            new DeviceListProblem(
                DeviceListProblem.Kind.REUSED_KEY,
                e.deviceId(),
                "device "
                    + e.deviceId()
                    + " is listed under link serial "
                    + e.serial()
                    + ", not newer than serial "
                    + greatestBefore.get()
                    + " of the version before"));
        continue;
      }
      reuse(e, before.values(), after.values(), retired)
          .ifPresent(
              why ->
                  problems.add(
                      new DeviceListProblem(DeviceListProblem.Kind.REUSED_KEY, e.deviceId(), why)));
    }
    for (Entry old : before.values()) {
      if (!after.containsKey(old.serial())) {
        problems.add(
            new DeviceListProblem(
                DeviceListProblem.Kind.REMOVED,
                old.deviceId(),
                "device " + old.deviceId() + " was removed"));
      }
    }
    problems.sort(
        Comparator.comparing((DeviceListProblem p) -> !p.alarm())
            .thenComparing(DeviceListProblem::deviceId)
            .thenComparing(DeviceListProblem::kind));
    return List.copyOf(problems);
  }

  /** The key an entry's approval must verify under, if its approver is trusted. */
  private static Optional<byte[]> approverKey(
      Entry e,
      boolean hasPrevious,
      Map<LinkSerial, Entry> before,
      Map<LinkSerial, Entry> after,
      Set<LinkSerial> accepted) {
    LinkSerial approver = e.approver();
    if (!hasPrevious && e.serial().value() == 1 && approver.value() == 1) {
      return Optional.of(e.identityKey()); // the registration
    }
    if (before.containsKey(approver)) {
      return Optional.of(before.get(approver).identityKey());
    }
    if (after.containsKey(approver) && accepted.contains(approver)) {
      return Optional.of(after.get(approver).identityKey());
    }
    return Optional.empty();
  }

  private static String whyUnapproved(
      Entry e,
      boolean hasPrevious,
      Map<LinkSerial, Entry> before,
      Map<LinkSerial, Entry> after,
      Set<LinkSerial> accepted) {
    String device = "device " + e.deviceId();
    LinkSerial approver = e.approver();
    if (!hasPrevious && e.serial().value() == 1) {
      return approver.value() == 1
          ? "device 1's approval of itself does not verify"
          : "device 1 of version 0 must approve itself, not be approved by device "
              + name(approver, after);
    }
    if (approver.equals(e.serial()) && !before.containsKey(approver)) {
      return device + " approved itself";
    }
    if (before.containsKey(approver) || accepted.contains(approver)) {
      return device
          + "'s approval does not verify under device "
          + name(approver, before.containsKey(approver) ? before : after)
          + "'s key";
    }
    if (after.containsKey(approver)) {
      return device
          + " is approved by device "
          + name(approver, after)
          + ", which is not approved itself";
    }
    return device
        + " is approved by link serial "
        + approver
        + ", which is not a device of the"
        + " account"
        + (hasPrevious ? "" : " (version 0 starts from device 1)");
  }

  /** A device as people know it: its id, and its serial where the id does not say it. */
  private static String name(LinkSerial serial, Map<LinkSerial, Entry> entries) {
    Entry e = entries.get(serial);
    if (e == null) {
      return "with link serial " + serial;
    }
    return e.serial().value() == e.deviceId().value()
        ? e.deviceId().toString()
        : e.deviceId() + " (link serial " + serial + ")";
  }

  private static Optional<String> reuse(
      Entry e, Collection<Entry> before, Collection<Entry> after, Set<ByteBuffer> retired) {
    for (Entry other : after) {
      if (!other.serial().equals(e.serial()) && other.sameKey(e)) {
        return Optional.of("device " + e.deviceId() + " has the key of device " + other.deviceId());
      }
    }
    for (Entry other : before) {
      if (!other.serial().equals(e.serial()) && other.sameKey(e)) {
        return Optional.of(
            "device " + e.deviceId() + " has the key device " + other.deviceId() + " had");
      }
    }
    if (retired.contains(ByteBuffer.wrap(e.identityKey()))) {
      return Optional.of("device " + e.deviceId() + " has the key of a removed device");
    }
    return Optional.empty();
  }

  private static boolean verifies(AccountId account, byte[] approverKey, Entry e) {
    try {
      return Signatures.verifyDeviceApproval(
          IdentityPublicKey.parse(approverKey), account, e.identityKey(), e.approvalSignature());
    } catch (InvalidKeyMaterialException notAKey) {
      return false;
    }
  }

  private static Map<LinkSerial, Entry> bySerial(List<Entry> entries) {
    Map<LinkSerial, Entry> map = new LinkedHashMap<>();
    entries.forEach(e -> map.put(e.serial(), e));
    return map;
  }
}
