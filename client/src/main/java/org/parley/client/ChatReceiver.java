package org.parley.client;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.parley.client.ClientEvent.MessageChanged.Change;
import org.parley.client.HistoryEntry.Direction;
import org.parley.client.HistoryEntry.Kind;
import org.parley.client.store.ChatStore;
import org.parley.client.store.ChatStore.Target;
import org.parley.client.store.MessageHistory;
import org.parley.client.store.MessageHistory.NewEntry;
import org.parley.content.MessageId;
import org.parley.content.MimiContent;
import org.parley.content.chat.ChatMessage;
import org.parley.content.chat.ChatRules;
import org.parley.content.status.MessageStatus;
import org.parley.content.status.PerMessageStatus;
import org.parley.protocol.AccountId;

/**
 * Applies what a message does to its conversation (docs/spec/content.md, section 2.1), the same for
 * one-to-one and group conversations and for what this device sent itself: texts and replies are
 * stored, edits, unsends and reactions change the message they name, receipts mark ours, timers set
 * the conversation's. Whoever calls has proven the sender and checked the room; this checks that a
 * message refers only to what its sender may change, within the windows. Runs in the caller's
 * transaction, with no network call.
 */
final class ChatReceiver {
  /** A message not applied, with why (recorded in the conversation by the caller). */
  static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;

    Refused(String message) {
      super(message);
    }
  }

  /**
   * One message for a conversation.
   *
   * @param conversation the peer's handle, or {@code group:<id>}
   * @param fromThisAccount sent by this account (this device or another of ours)
   * @param timerSeconds the conversation's timer as this device holds it (0: off), which bounds a
   *     disappearing message's lifetime whatever time its sender put in it
   * @param recipientDevices for a text this device sent: how many devices it went to
   */
  record Message(
      String conversation,
      String sender,
      AccountId senderAccount,
      int senderDevice,
      boolean fromThisAccount,
      MessageId id,
      MimiContent content,
      long sentAt,
      Long serverAt,
      long timerSeconds,
      Integer recipientDevices) {}

  /** What applying did: events to show, and whether the sender is owed a delivery receipt. */
  record Applied(List<ClientEvent> events, boolean owesReceipt) {
    static final Applied NOTHING = new Applied(List.of(), false);

    static Applied of(ClientEvent event) {
      return new Applied(List.of(event), false);
    }
  }

  private final MessageHistory history;
  private final ChatStore chat;

  ChatReceiver(MessageHistory history, ChatStore chat) {
    this.history = history;
    this.chat = chat;
  }

  Applied apply(Message m, ChatMessage what) throws Refused {
    return switch (what) {
      case ChatMessage.Text t -> text(m, t);
      case ChatMessage.Edit e -> edit(m, e);
      case ChatMessage.Reaction r -> react(m, r);
      case ChatMessage.Retraction r -> retract(m, r);
      case ChatMessage.Status s -> status(m, s);
      case ChatMessage.TimerSet t -> timer(m, t);
      case ChatMessage.Typing t ->
          m.fromThisAccount()
              ? Applied.NOTHING
              : Applied.of(
                  new ClientEvent.Typing(
                      m.conversation(), m.sender(), m.senderDevice(), t.started()));
    };
  }

  private Applied text(Message m, ChatMessage.Text t) {
    long now = System.currentTimeMillis();
    Long expiresAt = expiry(m, now);
    OptionalLong row =
        history.add(
            new NewEntry(
                m.conversation(),
                Kind.TEXT,
                m.fromThisAccount() ? Direction.OUT : Direction.IN,
                bytes(m.id()),
                m.sender(),
                m.senderDevice(),
                t.text(),
                m.sentAt(),
                m.serverAt(),
                m.recipientDevices(),
                t.inReplyTo().map(ChatReceiver::bytes).orElse(null),
                expiresAt));
    boolean owes = !m.fromThisAccount();
    if (row.isEmpty()) {
      return new Applied(List.of(), owes); // a repeat: receipted again, the first may be lost
    }
    if (expiresAt != null && expiresAt <= now) {
      // its time ran out before it arrived: kept only as a wiped row, so a repeat is dropped
      chat.remove(row.getAsLong(), "expired");
      return new Applied(List.of(), owes);
    }
    HistoryEntry entry = history.entry(row.getAsLong()).orElseThrow();
    ClientEvent event =
        m.fromThisAccount()
            ? new ClientEvent.SentCopyReceived(entry)
            : new ClientEvent.MessageReceived(entry);
    return new Applied(List.of(event), owes);
  }

  /**
   * When a disappearing text goes: the time its sender put in it, but never later than the
   * conversation's timer from now (a sender's clock ahead does not keep it longer).
   */
  private static Long expiry(Message m, long now) {
    Optional<Long> stated =
        m.content()
            .expires()
            .map(
                e ->
                    e.relative()
                        ? now + e.seconds() * 1000
                        : Math.multiplyExact(e.seconds(), 1000L));
    if (m.timerSeconds() > 0) {
      long bound = now + m.timerSeconds() * 1000;
      return Math.min(stated.orElse(bound), bound);
    }
    return stated.orElse(null);
  }

  /** The stored message {@code id} names, if it is of this conversation. */
  private Optional<Target> target(Message m, MessageId id, String what) throws Refused {
    Optional<Target> target = chat.target(bytes(id));
    if (target.isEmpty()) {
      throw new Refused(what + " of a message this device does not have");
    }
    if (!target.get().conversation().equals(m.conversation())) {
      throw new Refused(what + " of a message of another conversation");
    }
    if (target.get().gone().isPresent()) {
      return Optional.empty(); // unsent or expired: nothing left to change
    }
    if (!target.get().isText()) {
      throw new Refused(what + " of an entry that is not a message");
    }
    return target;
  }

  private Applied edit(Message m, ChatMessage.Edit e) throws Refused {
    Optional<Target> found = target(m, e.target(), "an edit");
    if (found.isEmpty()) {
      return Applied.NOTHING;
    }
    Target t = found.get();
    if (!t.senderHandle().equals(m.sender())) {
      throw new Refused("an edit of someone else's message (by " + t.senderHandle() + ")");
    }
    if (chat.isRecordedEdit(bytes(m.id()))) {
      return Applied.NOTHING;
    }
    Optional<String> refusal =
        ChatRules.editRefusal(
            Instant.ofEpochMilli(t.sentAt()), Instant.ofEpochMilli(m.sentAt()), t.edits());
    if (refusal.isPresent()) {
      throw new Refused("an edit refused: " + refusal.get());
    }
    if (!chat.edit(t, bytes(m.id()), e.text(), m.sentAt())) {
      return Applied.NOTHING;
    }
    return changed(t, Change.EDITED, m.sender());
  }

  private Applied react(Message m, ChatMessage.Reaction r) throws Refused {
    Optional<Target> found = target(m, r.target(), "a reaction");
    if (found.isEmpty()) {
      return Applied.NOTHING;
    }
    if (!chat.react(
        found.get(), bytes(m.id()), m.sender(), m.senderDevice(), r.reaction(), m.sentAt())) {
      return Applied.NOTHING;
    }
    return changed(found.get(), Change.REACTED, m.sender());
  }

  private Applied retract(Message m, ChatMessage.Retraction r) throws Refused {
    byte[] id = bytes(r.target());
    Optional<ChatStore.StoredReaction> reaction = chat.reaction(id);
    if (reaction.isPresent()) {
      ChatStore.StoredReaction stored = reaction.get();
      if (!stored.senderHandle().equals(m.sender())) {
        throw new Refused("took back someone else's reaction");
      }
      Optional<HistoryEntry> entry = history.entry(stored.messageId());
      if (entry.isEmpty() || !entry.get().peer().equals(m.conversation())) {
        return Applied.NOTHING; // its message is gone, or not of this conversation
      }
      if (stored.removed()) {
        return Applied.NOTHING;
      }
      chat.removeReaction(stored.id());
      return Applied.of(
          new ClientEvent.MessageChanged(
              history.entry(stored.messageId()).orElseThrow(),
              Change.REACTION_REMOVED,
              m.sender()));
    }
    Optional<Target> found = target(m, r.target(), "an unsend");
    if (found.isEmpty()) {
      return Applied.NOTHING;
    }
    Target t = found.get();
    if (!t.senderHandle().equals(m.sender())) {
      throw new Refused("an unsend of someone else's message (by " + t.senderHandle() + ")");
    }
    Optional<String> refusal =
        ChatRules.unsendRefusal(Instant.ofEpochMilli(t.sentAt()), Instant.ofEpochMilli(m.sentAt()));
    if (refusal.isPresent()) {
      throw new Refused("an unsend refused: " + refusal.get());
    }
    chat.remove(t.id(), "unsent");
    return changed(t, Change.UNSENT, m.sender());
  }

  private Applied status(Message m, ChatMessage.Status s) {
    if (m.fromThisAccount()) {
      return Applied.NOTHING; // receipts go to senders; ours never confirm our own
    }
    List<ClientEvent> events = new ArrayList<>();
    for (PerMessageStatus p : s.report().statuses()) {
      boolean read = p.status().equals(MessageStatus.READ);
      if (!read && !p.status().equals(MessageStatus.DELIVERED)) {
        continue;
      }
      byte[] id = bytes(p.messageId());
      if (history.markStatus(
          id, m.conversation(), m.sender(), m.senderAccount().value(), m.senderDevice(), read)) {
        history
            .find(id)
            .ifPresent(
                entry ->
                    events.add(
                        read
                            ? new ClientEvent.MessageChanged(entry, Change.READ, m.sender())
                            : new ClientEvent.DeliveryConfirmed(entry, m.senderDevice())));
      }
    }
    return new Applied(List.copyOf(events), false);
  }

  private Applied timer(Message m, ChatMessage.TimerSet t) throws Refused {
    if (m.conversation().startsWith(Groups.CONVERSATION_PREFIX)) {
      throw new Refused("a group's timer is set by a change of the group, not a message");
    }
    if (!chat.setTimer(m.conversation(), t.seconds(), m.sentAt(), m.sender())) {
      return Applied.NOTHING; // a later setting is held
    }
    history.addEvent(
        m.conversation(),
        (m.fromThisAccount() ? "you" : m.sender()) + " " + describeTimer(t.seconds()));
    return Applied.of(new ClientEvent.TimerChanged(m.conversation(), t.seconds(), m.sender()));
  }

  private Applied changed(Target t, Change change, String by) {
    return history
        .entry(t.id())
        .map(e -> Applied.of(new ClientEvent.MessageChanged(e, change, by)))
        .orElse(Applied.NOTHING);
  }

  /** Records what happened in a conversation for its history (a group's change, a timer). */
  void event(String conversation, String text) {
    history.addEvent(conversation, text);
  }

  static byte[] bytes(MessageId id) {
    return id.value().toByteArray();
  }

  /** "set messages to disappear after 1h", "turned disappearing messages off". */
  static String describeTimer(long seconds) {
    if (seconds == 0) {
      return "turned disappearing messages off";
    }
    long[] units = {604800, 86400, 3600, 60, 1};
    String[] names = {"w", "d", "h", "m", "s"};
    for (int i = 0; i < units.length; i++) {
      if (seconds % units[i] == 0) {
        return "set messages to disappear after " + seconds / units[i] + names[i];
      }
    }
    return "set messages to disappear after " + seconds + "s";
  }
}
