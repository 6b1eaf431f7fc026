package org.parley.client;

import java.time.Instant;

/**
 * A text the server accepted: its MIMI message id (hex), the number of the peer's devices it was
 * encrypted for (M of "delivered to N of M") and of our own other devices that got a copy.
 */
public record SendResult(
    String messageId, String peer, int recipientDevices, int ownDevices, Instant sentAt) {}
