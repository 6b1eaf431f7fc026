package org.parley.protocol.message;

import java.util.List;
import org.parley.protocol.DeviceId;
import org.parley.protocol.Validation;

/**
 * PUT /v1/messages/{accountId}: one message for every current device of the recipient account (when
 * sending to one's own account: every device but the sender), except the {@code withheldDevices}
 * the sender deliberately does not encrypt to (its key-transparency checks refused them; optional,
 * empty by default). {@code timestamp} is the sender's clock in ms since the epoch, carried to the
 * recipients unchanged.
 */
public record SendRequest(
    List<OutgoingMessage> messages, long timestamp, List<DeviceId> withheldDevices) {
  public SendRequest(List<OutgoingMessage> messages, long timestamp) {
    this(messages, timestamp, List.of());
  }

  public SendRequest {
    withheldDevices =
        withheldDevices == null
            ? List.of()
            : Validation.list(withheldDevices, "withheldDevices", DeviceId.MAX);
    messages = Validation.list(messages, "messages", DeviceId.MAX);
    if (messages.isEmpty()) {
      throw new IllegalArgumentException("field 'messages' must not be empty");
    }
    AddressedDevices.requireDistinct(
        messages.stream().map(OutgoingMessage::deviceId).toList(), withheldDevices, "messages");
    if (timestamp <= 0) {
      throw new IllegalArgumentException("field 'timestamp' must be positive");
    }
  }
}
