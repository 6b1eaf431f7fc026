package org.parley.server.message;

import java.util.Arrays;
import java.util.Objects;
import org.parley.protocol.DeviceId;
import org.parley.protocol.message.Envelope;

/**
 * One envelope of a send and the device it is for, with the registration id the sender encrypted
 * to: the queue stores it only if that is still the device's registration id. {@code shared}, if
 * not null, is the part of the envelope's content that other envelopes of the same upload end with
 * too, stored once for all of them.
 */
public record AddressedEnvelope(
    DeviceId deviceId, int registrationId, Envelope envelope, SharedPart shared) {
  public AddressedEnvelope {
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(envelope, "envelope");
    if (shared != null && !endsWith(envelope.content(), shared.bytes())) {
      throw new IllegalArgumentException(
          "the envelope's content does not end with its shared part");
    }
  }

  /** An envelope that shares nothing with others. */
  public AddressedEnvelope(DeviceId deviceId, int registrationId, Envelope envelope) {
    this(deviceId, registrationId, envelope, null);
  }

  private static boolean endsWith(byte[] content, byte[] suffix) {
    if (content == suffix) {
      return true;
    }
    int from = content.length - suffix.length;
    return from >= 0 && Arrays.equals(content, from, content.length, suffix, 0, suffix.length);
  }
}
