package org.parley.client;

import java.time.Instant;
import java.util.Optional;

/**
 * A text this device stored and sent: its MIMI message id (hex), the number of the peer's devices
 * it was encrypted for (M of "delivered to N of M") and of our own other devices that got a copy.
 * If the server could not take it yet, {@code pending} says why: the text waits in the outbox and
 * the next command that reaches the server sends it ({@link ParleyClient#flushOutbox}).
 */
public record SendResult(
    String messageId, String peer, int recipientDevices, int ownDevices, Instant sentAt,
    Optional<String> pending) {

  public SendResult(String messageId, String peer, int recipientDevices, int ownDevices,
      Instant sentAt) {
    this(messageId, peer, recipientDevices, ownDevices, sentAt, Optional.empty());
  }

  /** True if the server took it. */
  public boolean sent() {
    return pending.isEmpty();
  }
}
