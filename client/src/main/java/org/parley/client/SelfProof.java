package org.parley.client;

import java.util.Arrays;
import java.util.Optional;
import org.parley.client.kt.KeyTransparency;
import org.parley.client.kt.KeyTransparency.ProvenDevices;
import org.parley.client.kt.NotPublishedException;
import org.parley.crypto.IdentityPublicKey;
import org.parley.crypto.RemoteAddress;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.Handle;
import org.parley.protocol.kt.DeviceListValue;

/**
 * What the log must show about this device itself: its handle bound to its account, and this device
 * in the account's list with its own key (and, once joined, the approver it accepted).
 */
final class SelfProof {
  private final KeyTransparency kt;
  private final RemoteAddress self;
  private final Handle selfHandle;
  private final IdentityPublicKey selfKey;

  SelfProof(KeyTransparency kt, RemoteAddress self, Handle selfHandle, IdentityPublicKey selfKey) {
    this.kt = kt;
    this.self = self;
    this.selfHandle = selfHandle;
    this.selfKey = selfKey;
  }

  /**
   * Checks that the log binds this device's handle to its account and proves this device in the
   * account's list with its own key: the server could otherwise have made it part of another
   * account, or show contacts another key for it, or none. Given the key of the device whose
   * approval this device accepted when it joined, the log must show that key as its approver (if
   * the approver is still listed).
   */
  void requireSelfProven() {
    requireSelfProven(Optional.empty());
  }

  /** {@link #requireSelfProven()}, checking the approver this device accepted when it joined. */
  void requireSelfProven(Optional<byte[]> approverKey) {
    AccountId account = self.accountId();
    DeviceId device = self.deviceId();
    AccountId named = LogWait.waitFor(kt, () -> kt.provenAccount(selfHandle), value -> true);
    if (!named.equals(account)) {
      throw kt.raise(
          KtAlarm.Kind.HANDLE_MISMATCH,
          selfHandle.value(),
          "the key-transparency log binds "
              + selfHandle.value()
              + " to account "
              + named.value()
              + ", not to the account "
              + account.value()
              + " the server made this device part of",
          null);
    }
    ProvenDevices proven =
        LogWait.waitFor(
            kt,
            () -> kt.provenDevices(account, "your account"),
            value -> value.devices().entry(device).isPresent());
    Optional<DeviceListValue.Entry> entry = proven.devices().entry(device);
    if (entry.isEmpty()) {
      // not an alarm: a slow publisher looks the same; the owner's monitoring checks every version
      throw new NotPublishedException(
          "the key-transparency log does not list this device (device "
              + device
              + ") in your account yet, so contacts cannot check it; try again in a few"
              + " seconds");
    }
    if (!Arrays.equals(entry.get().identityKey(), selfKey.bytes())) {
      throw kt.raise(
          KtAlarm.Kind.OWN_KEY_MISMATCH,
          selfHandle.value(),
          "the key-transparency log lists "
              + "device "
              + device
              + " of your account with a key that is not this device's: "
              + "someone with control of the server may be able to read messages meant for it",
          null);
    }
    Optional<DeviceListValue.Entry> approver = proven.devices().bySerial(entry.get().approver());
    if (approverKey.isPresent()
        && approver.isPresent()
        && !Arrays.equals(approver.get().identityKey(), approverKey.get())) {
      throw kt.raise(
          KtAlarm.Kind.UNAPPROVED_DEVICE,
          selfHandle.value(),
          "this device joined "
              + selfHandle.value()
              + " on an approval signed by the key "
              + Fingerprints.of(approverKey.get())
              + ", but the key-transparency log shows its approver with the key "
              + Fingerprints.of(approver.get().identityKey())
              + ": the server may have shown this "
              + "device an account it does not belong to",
          null);
    }
  }
}
