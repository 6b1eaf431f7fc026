package org.parley.client;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A text the server accepted: its MIMI message id (hex), the number of the peer's devices it was
 * encrypted for (M of "delivered to N of M") and of our own other devices that got a copy.
 *
 * @param withheldDevices the peer's devices the server lists that were not encrypted to, by id,
 *     with why (the key-transparency log does not prove them, or refutes them)
 * @param events what the send found besides: the alarms it raised and device changes of the
 *     peer's account it learnt while proving its list
 */
public record SendResult(
    String messageId, String peer, int recipientDevices, int ownDevices, Instant sentAt,
    Map<Integer, String> withheldDevices, List<ClientEvent> events) {
  public SendResult {
    withheldDevices = Map.copyOf(withheldDevices);
    events = List.copyOf(events);
  }

  public SendResult(
      String messageId, String peer, int recipientDevices, int ownDevices, Instant sentAt) {
    this(messageId, peer, recipientDevices, ownDevices, sentAt, Map.of(), List.of());
  }
}
