package org.parley.protocol.message;

import java.util.HashSet;
import java.util.List;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.Validation;

/**
 * One account's part of a {@link GroupSendRequest}: the devices it goes to (with their registration
 * ids) and those the sender deliberately leaves out, as in a {@link SendRequest}.
 */
public record GroupRecipient(
    AccountId accountId, List<RecipientDevice> devices, List<DeviceId> withheldDevices) {
  public GroupRecipient {
    Validation.required(accountId, "accountId");
    devices = Validation.list(devices, "devices", DeviceId.MAX);
    if (devices.isEmpty()) {
      throw new IllegalArgumentException("field 'devices' must not be empty");
    }
    withheldDevices =
        withheldDevices == null
            ? List.of()
            : Validation.list(withheldDevices, "withheldDevices", DeviceId.MAX);
    var seen = new HashSet<DeviceId>();
    for (RecipientDevice d : devices) {
      if (!seen.add(d.deviceId())) {
        throw new IllegalArgumentException("device " + d.deviceId() + " appears twice");
      }
    }
    for (DeviceId w : withheldDevices) {
      if (seen.contains(w)) {
        throw new IllegalArgumentException("device " + w + " is both sent to and withheld");
      }
    }
    if (withheldDevices.size() != new HashSet<>(withheldDevices).size()) {
      throw new IllegalArgumentException("a device appears twice in 'withheldDevices'");
    }
  }
}
