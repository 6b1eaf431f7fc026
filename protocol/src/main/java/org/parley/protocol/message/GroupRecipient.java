package org.parley.protocol.message;

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
    AddressedDevices.requireDistinct(
        devices.stream().map(RecipientDevice::deviceId).toList(), withheldDevices, "devices");
  }
}
