package org.parley.protocol.message;

import org.parley.protocol.DeviceId;
import org.parley.protocol.Validation;

/** A device a group message goes to, and its registration id. */
public record RecipientDevice(DeviceId deviceId, int registrationId) {
  public RecipientDevice {
    Validation.required(deviceId, "deviceId");
    Validation.range(registrationId, "registrationId", 1, 16380);
  }
}
