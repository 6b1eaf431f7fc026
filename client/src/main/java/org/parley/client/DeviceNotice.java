package org.parley.client;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;

/**
 * A device added to or removed from an account, as the key-transparency log proved it to this
 * device: the account's other devices learn it from their monitoring of their own list, a contact
 * when it next proves the account's list. Every change of devices changes the safety number. Stored
 * in the conversation with the account ({@code handle}; this account's own changes in the
 * conversation with itself), once per device, change and key.
 *
 * @param id the local row id
 * @param handle the account's handle, which names the conversation it is filed in
 * @param ownAccount true if the account is this device's own
 * @param change added or removed
 * @param device the device's id in the account
 * @param name the device's name as the server's directory gives it (not proven), if known
 * @param fingerprint the fingerprint of the device's identity key, as the log proves it
 * @param versionSeen the version of the account's device list that showed the change
 * @param noticedAt when this device learnt it
 */
public record DeviceNotice(
    long id,
    String handle,
    AccountId account,
    boolean ownAccount,
    Change change,
    DeviceId device,
    Optional<String> name,
    String fingerprint,
    long versionSeen,
    Instant noticedAt) {
  public DeviceNotice {
    Objects.requireNonNull(handle, "handle");
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(change, "change");
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(noticedAt, "noticedAt");
  }

  /** What happened to the device. */
  public enum Change {
    ADDED,
    REMOVED
  }

  /** The notice for a person, e.g. "bob@x added device 3 "laptop" (key Jm3...); ...". */
  public String text() {
    String what =
        (change == Change.ADDED ? "added" : "removed")
            + " device "
            + device
            + name.map(n -> " \"" + n + "\"").orElse("")
            + " (key fingerprint "
            + fingerprint
            + ")";
    if (ownAccount) {
      return "your account "
          + what
          + "; your safety numbers with every contact changed"
          + (change == Change.ADDED
              ? ". Not yours? Remove it: parley devices remove " + device
              : "");
    }
    return handle
        + " "
        + what
        + "; your safety number with "
        + handle
        + " changed (parley"
        + " verify "
        + handle
        + " shows the new one)";
  }

  /** The notice as an entry of the conversation it is filed in. */
  public HistoryEntry asHistoryEntry() {
    return new HistoryEntry(
        id,
        handle,
        HistoryEntry.Kind.DEVICE,
        ownAccount ? HistoryEntry.Direction.OUT : HistoryEntry.Direction.IN,
        Optional.empty(),
        handle,
        device.value(),
        text(),
        noticedAt,
        noticedAt,
        Optional.empty());
  }
}
