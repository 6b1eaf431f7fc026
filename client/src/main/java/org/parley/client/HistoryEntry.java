package org.parley.client;

import java.time.Instant;
import java.util.Optional;

/**
 * One entry of a conversation's history: a text sent or received, an error entry for an envelope
 * from the peer that could not be decrypted or understood, or a device change of the peer's account
 * (of this account, in the conversation with its own handle).
 *
 * @param id the local row id, increasing in the order entries were stored
 * @param peer the other party's handle, which names the conversation
 * @param messageId the MIMI message id in hex; empty for error entries
 * @param senderDevice the sending device's id within the sender's account
 * @param text the message text, or what went wrong for an error entry
 * @param sentAt the sender's clock
 * @param delivery for outgoing texts: how many recipient devices confirmed delivery
 */
public record HistoryEntry(
    long id,
    String peer,
    Kind kind,
    Direction direction,
    Optional<String> messageId,
    String senderHandle,
    int senderDevice,
    String text,
    Instant sentAt,
    Instant storedAt,
    Optional<Delivery> delivery) {

  /** What the entry is. */
  public enum Kind {
    TEXT,
    ERROR,
    /** A device added to or removed from the peer's account (or this one): {@link DeviceNotice}. */
    DEVICE
  }

  /** Who wrote it: the peer, or this account (from this device or another of ours). */
  public enum Direction {
    IN,
    OUT
  }

  /**
   * Delivery of an outgoing text: {@code delivered} devices sent a receipt, of {@code
   * recipientDevices} the message was encrypted for (unknown for a copy another of our devices
   * sent, and while it is not sent yet). {@code state} says whether the server took it; {@code
   * problem} says why not.
   */
  public record Delivery(
      int delivered, Optional<Integer> recipientDevices, State state, Optional<String> problem) {
    /** Whether the server took the text. */
    public enum State {
      /** The server took it (or another of our devices sent it). */
      SENT,
      /** Waiting in the outbox: sent again by the next command that reaches the server. */
      PENDING,
      /** The server refused it for good; it is not sent again. */
      FAILED
    }

    public Delivery(int delivered, Optional<Integer> recipientDevices) {
      this(delivered, recipientDevices, State.SENT, Optional.empty());
    }

    /** "delivered to 1 of 2 devices", "sent", "not sent yet (in the outbox)", ... */
    public String describe() {
      if (state == State.PENDING) {
        return "not sent yet, waiting in the outbox" + problem.map(p -> " (" + p + ")").orElse("");
      }
      if (state == State.FAILED) {
        return "not sent" + problem.map(p -> ": " + p).orElse("");
      }
      if (recipientDevices.isPresent()) {
        int total = recipientDevices.get();
        return delivered == 0
            ? "sent to " + total + (total == 1 ? " device" : " devices") + ", not yet delivered"
            : "delivered to " + delivered + " of " + total + (total == 1 ? " device" : " devices");
      }
      return delivered == 0
          ? "sent"
          : "delivered to " + delivered + (delivered == 1 ? " device" : " devices");
    }
  }
}
