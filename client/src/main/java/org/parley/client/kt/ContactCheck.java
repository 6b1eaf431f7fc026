package org.parley.client.kt;

import java.util.Arrays;
import java.util.Optional;
import org.parley.crypto.IdentityPublicKey;
import org.parley.crypto.Signatures;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.kt.DeviceListValue;

/**
 * What a contact can check of another account's proven device list on its own, before it
 * encrypts to a device: the device's approval verifies under the key its approver has in the same
 * list. Device 1 approves itself (registration). A device whose approver is no longer listed (it
 * was removed) cannot be checked this way: it is accepted only if this device trusted the same key
 * before, or on first contact with the account (then only the owner's monitoring can object).
 * The owner's own check of every version (DeviceListAudit) is the complete one.
 */
public final class ContactCheck {
  private ContactCheck() {}

  /** Why a listed device must not be used, or empty if it may be. */
  public static Optional<String> refusal(AccountId account, DeviceListValue list,
      DeviceListValue.Entry entry, Optional<byte[]> trustedBefore, boolean firstContact) {
    if (trustedBefore.isPresent() && Arrays.equals(trustedBefore.get(), entry.identityKey())) {
      return Optional.empty();
    }
    DeviceId approver = entry.approver();
    if (approver.equals(entry.deviceId())) {
      return entry.deviceId().value() == 1 && verifies(account, entry.identityKey(), entry)
          ? Optional.empty()
          : Optional.of("device " + entry.deviceId() + " approved itself");
    }
    Optional<DeviceListValue.Entry> approving = list.entry(approver);
    if (approving.isEmpty()) {
      return firstContact ? Optional.empty()
          : Optional.of("device " + entry.deviceId() + " is new and its approver (device "
              + approver + ") is not in the list");
    }
    return verifies(account, approving.get().identityKey(), entry) ? Optional.empty()
        : Optional.of("device " + entry.deviceId() + "'s approval by device " + approver
            + " does not verify: no device of the account approved it");
  }

  private static boolean verifies(AccountId account, byte[] approverKey,
      DeviceListValue.Entry entry) {
    IdentityPublicKey key;
    try {
      key = new IdentityPublicKey(approverKey);
    } catch (IllegalArgumentException e) {
      return false;
    }
    return Signatures.verifyDeviceApproval(key, account, entry.identityKey(),
        entry.approvalSignature());
  }
}
