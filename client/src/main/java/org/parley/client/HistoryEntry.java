package org.parley.client;

import java.time.Instant;
import java.util.List;
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
 * @param replyTo the id (hex) of the message this text answers
 * @param edits how many times its sender edited it; {@code text} is the latest
 * @param unsent true if its sender took it back for everyone ({@code text} is then empty)
 * @param reactions the people's current reactions, oldest first
 * @param expiresAt when this device deletes it (a disappearing message)
 * @param readAt for a text from someone else: when this device showed it to its person
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
    Optional<Delivery> delivery,
    Optional<String> replyTo,
    int edits,
    boolean unsent,
    List<Reaction> reactions,
    Optional<Instant> expiresAt,
    Optional<Instant> readAt) {

  public HistoryEntry {
    reactions = List.copyOf(reactions);
  }

  /** An entry without replies, edits, reactions or timers (errors, notices). */
  public HistoryEntry(
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
    this(
        id,
        peer,
        kind,
        direction,
        messageId,
        senderHandle,
        senderDevice,
        text,
        sentAt,
        storedAt,
        delivery,
        Optional.empty(),
        0,
        false,
        List.of(),
        Optional.empty(),
        Optional.empty());
  }

  /** A person's reaction to this entry. */
  public record Reaction(String sender, String reaction, Instant sentAt) {}

  /** The first 8 hex digits of the message id, which commands accept to name it. */
  public Optional<String> shortId() {
    return messageId.map(id -> id.substring(0, SHORT_ID));
  }

  /** Hex digits of a message id shown to people. */
  public static final int SHORT_ID = 8;

  /** What the entry is. */
  public enum Kind {
    TEXT,
    ERROR,
    /** A device added to or removed from the peer's account (or this one): {@link DeviceNotice}. */
    DEVICE,
    /** Something that happened in the conversation: a group's change, a timer set. */
    EVENT
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
      int delivered,
      Optional<Integer> recipientDevices,
      State state,
      Optional<String> problem,
      List<String> readBy) {
    public Delivery {
      readBy = List.copyOf(readBy);
    }

    public Delivery(
        int delivered, Optional<Integer> recipientDevices, State state, Optional<String> problem) {
      this(delivered, recipientDevices, state, problem, List.of());
    }

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

    /** "delivered to 1 of 2 devices, read by bob@example.org", "sent", ... */
    public String describe() {
      String sent = describeSent();
      return readBy.isEmpty() ? sent : sent + ", read by " + String.join(", ", readBy);
    }

    private String describeSent() {
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
