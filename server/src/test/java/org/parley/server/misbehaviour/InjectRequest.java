package org.parley.server.misbehaviour;

import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.Handle;
import org.parley.protocol.Validation;
import org.parley.protocol.message.EnvelopeType;
import org.parley.protocol.message.OutgoingMessage;

/**
 * POST /v1/test/inject/{accountId}/{deviceId} (test-only): the sender fields and ciphertext of an
 * envelope the server forges, named as in {@link org.parley.protocol.message.Envelope}. The source
 * need not exist: that is the point. A {@code sealed_sender} envelope has none.
 */
public record InjectRequest(
    AccountId sourceAccountId,
    DeviceId sourceDeviceId,
    Handle sourceHandle,
    EnvelopeType type,
    byte[] content,
    long timestamp) {
  public InjectRequest {
    Validation.required(type, "type");
    if (type != EnvelopeType.SEALED_SENDER) { // a sealed envelope names no sender
      Validation.required(sourceAccountId, "sourceAccountId");
      Validation.required(sourceDeviceId, "sourceDeviceId");
      Validation.required(sourceHandle, "sourceHandle");
    }
    content = Validation.bytes(content, "content", 1, OutgoingMessage.MAX_CONTENT);
    if (timestamp <= 0) {
      throw new IllegalArgumentException("field 'timestamp' must be positive");
    }
  }
}
