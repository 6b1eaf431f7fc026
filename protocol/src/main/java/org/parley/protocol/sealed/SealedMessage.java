package org.parley.protocol.sealed;

import org.parley.protocol.DeviceId;
import org.parley.protocol.Validation;
import org.parley.protocol.message.OutgoingMessage;

/**
 * One sealed envelope for one device of the recipient account, with the delivery credential that
 * device handed out (docs/spec/sealed-sender.md): the server queues it only if the credential is
 * the one the device registered and {@code registrationId} is the device's current one.
 */
public record SealedMessage(
    DeviceId deviceId, int registrationId, byte[] deliveryCredential, byte[] content) {
  public SealedMessage {
    Validation.required(deviceId, "deviceId");
    Validation.range(registrationId, "registrationId", 1, 16380);
    deliveryCredential = DeliveryCredential.check(deliveryCredential, "deliveryCredential");
    content = Validation.bytes(content, "content", 1, OutgoingMessage.MAX_CONTENT);
  }
}
