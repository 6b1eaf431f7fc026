package org.parley.protocol.message;

import org.parley.protocol.DeviceId;
import org.parley.protocol.Validation;

/**
 * One ciphertext for one device of the recipient account. {@code registrationId} must match the
 * device's current one, so that a message never reaches a different device under a reused id.
 */
public record OutgoingMessage(
    DeviceId deviceId, int registrationId, EnvelopeType type, byte[] content) {
  public static final int MAX_CONTENT = 96 * 1024;

  public OutgoingMessage {
    Validation.required(deviceId, "deviceId");
    Validation.range(registrationId, "registrationId", 1, 16380);
    Validation.required(type, "type");
    if (type == EnvelopeType.SEALED_SENDER) {
      // an authenticated send names its sender: a sealed envelope goes through the sealed send
      throw new IllegalArgumentException(
          "field 'type' may not be sealed_sender here; send it with PUT"
              + " /v1/messages/{accountId}/sealed");
    }
    content = Validation.bytes(content, "content", 1, MAX_CONTENT);
  }
}
