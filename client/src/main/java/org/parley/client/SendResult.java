package org.parley.client;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A text this device stored and sent: its MIMI message id (hex), the number of the peer's devices
 * it was encrypted for (M of "delivered to N of M") and of our own other devices that got a copy.
 * If the server could not take it yet, {@code pending} says why: the text waits in the outbox and
 * the next command that reaches the server sends it ({@link ParleyClient#flushOutbox}).
 *
 * @param withheldDevices the peer's devices the server lists that were not encrypted to, by id,
 *     with why (the key-transparency log does not prove them, or refutes them)
 * @param events what the send found besides: the alarms it raised and device changes of the peer's
 *     account it learnt while proving its list
 */
public record SendResult(
    String messageId,
    String peer,
    int recipientDevices,
    int ownDevices,
    Instant sentAt,
    Optional<String> pending,
    Map<Integer, String> withheldDevices,
    List<ClientEvent> events) {
  public SendResult {
    withheldDevices = Map.copyOf(withheldDevices);
    events = List.copyOf(events);
  }

  public SendResult(
      String messageId, String peer, int recipientDevices, int ownDevices, Instant sentAt) {
    this(
        messageId,
        peer,
        recipientDevices,
        ownDevices,
        sentAt,
        Optional.empty(),
        Map.of(),
        List.of());
  }

  public SendResult(
      String messageId,
      String peer,
      int recipientDevices,
      int ownDevices,
      Instant sentAt,
      Optional<String> pending) {
    this(messageId, peer, recipientDevices, ownDevices, sentAt, pending, Map.of(), List.of());
  }

  /** True if the server took it. */
  public boolean sent() {
    return pending.isEmpty();
  }

  /** This result with the devices withheld from it. */
  public SendResult withWithheld(Map<Integer, String> withheld) {
    return new SendResult(
        messageId, peer, recipientDevices, ownDevices, sentAt, pending, withheld, events);
  }

  /** This result with what the send found besides. */
  public SendResult withEvents(List<ClientEvent> found) {
    return new SendResult(
        messageId, peer, recipientDevices, ownDevices, sentAt, pending, withheldDevices, found);
  }
}
