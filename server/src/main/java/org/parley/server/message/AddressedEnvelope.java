package org.parley.server.message;

import java.util.Objects;
import org.parley.protocol.DeviceId;
import org.parley.protocol.message.Envelope;

/**
 * One envelope of a send and the device it is for, with the registration id the sender encrypted
 * to: the queue stores it only if that is still the device's registration id.
 */
public record AddressedEnvelope(DeviceId deviceId, int registrationId, Envelope envelope) {
  public AddressedEnvelope {
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(envelope, "envelope");
  }
}
