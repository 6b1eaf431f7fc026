package org.parley.protocol.ws;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;
import org.parley.protocol.AccountId;
import org.parley.protocol.message.Envelope;

/**
 * A text frame the server sends on a device's WebSocket. Each is a JSON object whose "type" field
 * names the frame.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = ServerFrame.EnvelopeFrame.class, name = "envelope"),
  @JsonSubTypes.Type(value = ServerFrame.QueueEmpty.class, name = "queue_empty"),
  @JsonSubTypes.Type(value = ServerFrame.Acked.class, name = "acked"),
  @JsonSubTypes.Type(value = ServerFrame.DevicesChanged.class, name = "devices_changed"),
  @JsonSubTypes.Type(value = ServerFrame.KeysLow.class, name = "keys_low"),
  @JsonSubTypes.Type(value = ServerFrame.Error.class, name = "error")
})
public sealed interface ServerFrame {
  /** A queued envelope; it stays queued until acknowledged. */
  record EnvelopeFrame(Envelope envelope) implements ServerFrame {}

  /** Everything queued when the socket opened has been sent; later envelopes follow live. */
  record QueueEmpty() implements ServerFrame {}

  /** The answer to an {@code ack} frame: these envelopes are deleted. */
  record Acked(List<String> ids) implements ServerFrame {}

  /** The device list of this account changed (a device was linked or removed). */
  record DevicesChanged(AccountId accountId) implements ServerFrame {}

  /** The server holds fewer than the refill threshold of one-time prekeys for this device. */
  record KeysLow(int preKeys, int kyberPreKeys) implements ServerFrame {}

  /** A client frame was refused; nothing it asked for happened. */
  record Error(String code, String message) implements ServerFrame {}
}
