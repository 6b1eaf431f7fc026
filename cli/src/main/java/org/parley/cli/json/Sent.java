package org.parley.cli.json;

import java.util.Map;
import java.util.TreeMap;

/**
 * {@code parley send}: the text's MIMI message id, how many of the peer's devices it was encrypted
 * for and of ours got a copy, the delivery status, the peer's devices withheld (by id, with why)
 * and whether it still waits in the outbox ({@code pending}).
 */
public record Sent(
    String messageId,
    String to,
    int recipientDevices,
    int ownDevices,
    int deliveredDevices,
    String status,
    long sentAt,
    Map<Integer, String> withheldDevices,
    boolean pending)
    implements JsonLine {
  public Sent {
    withheldDevices = new TreeMap<>(withheldDevices); // printed by device id
  }
}
