package org.parley.client;

/** Something that happened while receiving, in the order it happened. */
public sealed interface ClientEvent {

  /** A text from another account was stored (and a delivery receipt queued for its sender). */
  record MessageReceived(HistoryEntry entry) implements ClientEvent {}

  /** A text one of our other devices sent was stored in its conversation. */
  record SentCopyReceived(HistoryEntry entry) implements ClientEvent {}

  /** A recipient device confirmed delivery of one of our texts; {@code entry} has the new count. */
  record DeliveryConfirmed(HistoryEntry entry, int recipientDevice) implements ClientEvent {}

  /** An envelope could not be decrypted or understood; it was recorded as an error and dropped. */
  record EnvelopeFailed(HistoryEntry entry) implements ClientEvent {}

  /**
   * An envelope was held back, unacknowledged: the key-transparency log does not prove its sender's
   * device yet (it may just have been linked). It is tried again for a few epochs, then refused
   * with an alarm. Nothing of it is shown.
   */
  record EnvelopeHeld(String envelopeId, String reason) implements ClientEvent {}

  /**
   * An envelope from a device its account has removed (as the key-transparency log shows) was
   * refused and not shown: sent just before the removal, or by the removed device since.
   */
  record EnvelopeRefused(String envelopeId, String reason) implements ClientEvent {}

  /**
   * A key-transparency check raised an alarm: the server showed something an honest one never does
   * (a device this account never approved, a forked or rolled-back log). Show it loudly.
   */
  record KeyTransparencyAlarm(org.parley.client.KtAlarm alarm) implements ClientEvent {}

  /**
   * A device was added to or removed from a contact's account, or this one, as the key-transparency
   * log proved it: the safety number changed. Recorded in the history too.
   */
  record DeviceChanged(DeviceNotice notice) implements ClientEvent {}

  /** The listener's connection to the server opened or closed. */
  record ConnectionChanged(boolean connected, String detail) implements ClientEvent {}

  /**
   * A group this device holds changed: created, members added or removed, an admin made or unmade,
   * renamed; {@code summary} says what and by whom.
   */
  record GroupChanged(GroupInfo group, String summary) implements ClientEvent {}

  /**
   * A group message named another state of the group than this device holds: a change has not
   * reached this device or the sender's (or the server withholds it), or an admin showed members
   * different changes. The message is shown; the difference is said.
   */
  record GroupOutOfStep(
      String group, String sender, long senderVersion, long ownVersion, String detail)
      implements ClientEvent {}

  /**
   * A group message's counter was not the one expected of its sender's device: messages before it
   * did not arrive ({@code got} above {@code expected}: dropped or held back by the server), or it
   * came late ({@code got} below). The message is shown; the gap is said and recorded.
   */
  record GroupGap(String group, String sender, int device, long expected, long got, String detail)
      implements ClientEvent {}

  /** A group change was refused (not signed by an admin's proven key, a replay, a fork, ...). */
  record GroupChangeRefused(String group, String reason) implements ClientEvent {}

  /**
   * Someone changed a message of a conversation: edited or unsent it, reacted to it or took a
   * reaction back, or (for one of ours) read it; {@code entry} is the message as it is now and
   * {@code by} the handle of who did it.
   */
  record MessageChanged(HistoryEntry entry, Change change, String by) implements ClientEvent {
    /** What happened to the message. */
    public enum Change {
      EDITED,
      UNSENT,
      REACTED,
      REACTION_REMOVED,
      READ
    }
  }

  /** A one-to-one conversation's disappearing-message timer was set ({@code 0}: off). */
  record TimerChanged(String conversation, long seconds, String by) implements ClientEvent {}

  /** Someone started or stopped typing in a conversation; nothing of it is stored. */
  record Typing(String conversation, String sender, int device, boolean started)
      implements ClientEvent {}
}
