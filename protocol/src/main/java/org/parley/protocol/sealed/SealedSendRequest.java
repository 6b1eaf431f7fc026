package org.parley.protocol.sealed;

import java.util.List;
import org.parley.protocol.DeviceId;
import org.parley.protocol.Validation;
import org.parley.protocol.message.AddressedDevices;

/**
 * PUT /v1/messages/{accountId}/sealed, sent without a device credential: one sealed envelope for
 * every current device of the recipient account (docs/spec/sealed-sender.md). {@code timestamp} is
 * the sender's clock in ms, carried to the recipients unchanged.
 */
public record SealedSendRequest(List<SealedMessage> messages, long timestamp) {
  public SealedSendRequest {
    messages = Validation.list(messages, "messages", DeviceId.MAX);
    if (messages.isEmpty()) {
      throw new IllegalArgumentException("field 'messages' must not be empty");
    }
    AddressedDevices.requireDistinct(
        messages.stream().map(SealedMessage::deviceId).toList(), List.of(), "messages");
    if (timestamp <= 0) {
      throw new IllegalArgumentException("field 'timestamp' must be positive");
    }
  }
}
