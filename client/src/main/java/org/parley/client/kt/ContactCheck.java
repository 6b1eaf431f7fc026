package org.parley.client.kt;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.parley.crypto.IdentityPublicKey;
import org.parley.crypto.Signatures;
import org.parley.protocol.AccountId;
import org.parley.protocol.kt.DeviceListValue;
import org.parley.protocol.kt.LinkSerial;

/**
 * What a contact can check of another account's proven device list on its own (devices named by
 * link serial, since a device id is a slot a later device may take over), before it encrypts to a
 * device or accepts a message from it: the device's approval verifies under the key its approver
 * has in the same list, or, when the approver has left the list, in the version that added the
 * device (fixed-version searches, so the log proves that key too). Device 1 approves itself
 * (registration). A key this device saw removed from the account never comes back, and no two
 * devices share a key. The owner's own check of every version (DeviceListAudit) is the complete
 * one.
 */
public final class ContactCheck {
  private ContactCheck() {}

  /**
   * Finds, for an entry whose approver has left the list, the approver's entry in the version
   * before the one that added the entry (or in that version itself, for an approver linked in the
   * same version), as the log proves those versions.
   */
  @FunctionalInterface
  public interface FormerEntries {
    Optional<DeviceListValue.Entry> approverOf(DeviceListValue.Entry entry);
  }

  /**
   * Why a listed device must not be used, or empty if it may be.
   *
   * @param provenBefore the key this device trusted for the same device id after an earlier full
   *     check (never a key trusted for any other reason): an unchanged key needs no new check
   * @param retiredKeys keys of devices this device saw leave the account's list
   */
  public static Optional<String> refusal(
      AccountId account,
      DeviceListValue list,
      DeviceListValue.Entry entry,
      Optional<byte[]> provenBefore,
      Collection<byte[]> retiredKeys,
      FormerEntries former) {
    return refusal(account, list, entry, provenBefore, retiredKeys, List.of(), former);
  }

  /**
   * {@link #refusal(AccountId, DeviceListValue, DeviceListValue.Entry, Optional, Collection,
   * FormerEntries)}, also refusing an entry under a link serial this device saw removed.
   *
   * @param provenBefore the key this device trusted for the same device (id and serial)
   * @param retiredSerials serials of devices this device saw leave the account's list
   */
  public static Optional<String> refusal(
      AccountId account,
      DeviceListValue list,
      DeviceListValue.Entry entry,
      Optional<byte[]> provenBefore,
      Collection<byte[]> retiredKeys,
      Collection<LinkSerial> retiredSerials,
      FormerEntries former) {
    String device = "device " + entry.deviceId();
    if (retiredKeys.stream().anyMatch(k -> Arrays.equals(k, entry.identityKey()))) {
      return Optional.of(device + " has the key of a device that was removed from the account");
    }
    if (retiredSerials.contains(entry.serial())) {
      return Optional.of(
          device
              + " has the link serial "
              + entry.serial()
              + " of a device that"
              + " was removed from the account");
    }
    for (DeviceListValue.Entry other : list.entries()) {
      if (!other.serial().equals(entry.serial()) && other.sameKey(entry)) {
        return Optional.of(device + " has the key of device " + other.deviceId());
      }
    }
    if (provenBefore.isPresent() && Arrays.equals(provenBefore.get(), entry.identityKey())) {
      return Optional.empty();
    }
    LinkSerial approver = entry.approver();
    if (approver.equals(entry.serial())) {
      // only the registration, link serial 1, approves itself
      return entry.serial().value() == 1 && verifies(account, entry.identityKey(), entry)
          ? Optional.empty()
          : Optional.of(device + " approved itself");
    }
    Optional<DeviceListValue.Entry> approving = list.bySerial(approver);
    String where = "";
    if (approving.isEmpty()) {
      approving = former.approverOf(entry);
      if (approving.isEmpty()) {
        return Optional.of(
            device
                + "'s approver (link serial "
                + approver
                + ") was not in the list "
                + "when the log first published "
                + device
                + ", so its approval cannot be checked");
      }
      where = " (its key as the version that added " + device + " proves it)";
    }
    if (approving.get().sameKey(entry)) {
      return Optional.of(device + " is approved by a device with its own key");
    }
    return verifies(account, approving.get().identityKey(), entry)
        ? Optional.empty()
        : Optional.of(
            device
                + "'s approval by device "
                + approving.get().deviceId()
                + where
                + " does not verify: no device of the account approved it");
  }

  private static boolean verifies(
      AccountId account, byte[] approverKey, DeviceListValue.Entry entry) {
    IdentityPublicKey key;
    try {
      key = new IdentityPublicKey(approverKey);
    } catch (IllegalArgumentException e) {
      return false;
    }
    return Signatures.verifyDeviceApproval(
        key, account, entry.identityKey(), entry.approvalSignature());
  }
}
