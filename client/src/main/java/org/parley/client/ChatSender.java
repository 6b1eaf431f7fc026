package org.parley.client;

import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.parley.client.store.ChatStore;
import org.parley.client.store.ChatStore.Target;
import org.parley.content.ContentFormatException;
import org.parley.content.MessageId;
import org.parley.content.MimiContent;
import org.parley.content.MimiUri;
import org.parley.content.chat.ChatContent;
import org.parley.content.chat.ChatMessage;
import org.parley.content.chat.ChatRules;
import org.parley.protocol.Handle;
import org.parley.protocol.cbor.ByteString;

/**
 * What a person does to a message of a conversation, named by its id (or the first digits of it, as
 * {@code history} shows them): reply, react, edit, unsend. The conversation is the message's own,
 * one-to-one or a group's. The rules receivers apply are checked here first, so the person hears
 * why at once instead of the others silently ignoring it.
 */
final class ChatSender {
  /** Fewest hex digits that name a message. */
  static final int MIN_REF_DIGITS = 6;

  private final Session session;
  private final ChatStore chat;

  ChatSender(Session session, ChatStore chat) {
    this.session = session;
    this.chat = chat;
  }

  /** The result of a conversation action: the message it went with and the devices it reached. */
  record Sent(String conversation, String messageId, int devices, Optional<String> pending) {
    Sent(String conversation, String messageId, int devices) {
      this(conversation, messageId, devices, Optional.empty());
    }
  }

  Sent reply(String ref, String text) {
    Target t = resolve(ref);
    requireShown(t, ref);
    MessageId target = idOf(t, ref);
    if (isGroup(t)) {
      GroupSender.Result r =
          session.groupSender().send(t.conversation(), b -> b.text(text).withInReplyTo(target));
      return new Sent(t.conversation(), r.messageId(), r.devices());
    }
    SendResult r = session.sending().send(Handle.of(t.conversation()), text, Optional.of(target));
    return new Sent(t.conversation(), r.messageId(), r.recipientDevices(), r.pending());
  }

  Sent react(String ref, String reaction) {
    try {
      ChatRules.checkReaction(reaction);
    } catch (ContentFormatException e) {
      throw new ClientException(e.getMessage());
    }
    Target t = resolve(ref);
    requireShown(t, ref);
    MessageId target = idOf(t, ref);
    return send(t, (me, room) -> MimiContent.reaction(me, room, target, reaction));
  }

  /** Takes back this account's reaction to a message. */
  Sent unreact(String ref) {
    Target t = resolve(ref);
    requireShown(t, ref);
    byte[] reaction =
        chat.currentReaction(t.id(), session.handle().value())
            .orElseThrow(() -> new ClientException("you have not reacted to " + ref));
    MessageId id = new MessageId(ByteString.of(reaction));
    return send(t, (me, room) -> MimiContent.delete(me, room, id));
  }

  Sent edit(String ref, String text) {
    if (text.isEmpty()) {
      throw new ClientException("the new text is empty; to take the message back, unsend it");
    }
    Target t = own(ref, "edit");
    ChatRules.editRefusal(Instant.ofEpochMilli(t.sentAt()), Instant.now(), t.edits())
        .ifPresent(
            why -> {
              throw new ClientException("cannot edit " + ref + ": " + why);
            });
    MessageId target = idOf(t, ref);
    return send(t, (me, room) -> MimiContent.text(me, room, text).withReplaces(target));
  }

  Sent unsend(String ref) {
    Target t = own(ref, "unsend");
    ChatRules.unsendRefusal(Instant.ofEpochMilli(t.sentAt()), Instant.now())
        .ifPresent(
            why -> {
              throw new ClientException("cannot unsend " + ref + ": " + why);
            });
    MessageId target = idOf(t, ref);
    return send(t, (me, room) -> MimiContent.delete(me, room, target));
  }

  /** Sets a one-to-one conversation's disappearing-message timer (a group's is a group change). */
  Sent setTimer(Handle peer, Duration timer) {
    long seconds;
    try {
      seconds = ChatRules.checkTimer(timer).toSeconds();
    } catch (IllegalArgumentException e) {
      throw new ClientException(e.getMessage());
    }
    MimiContent content =
        ChatContent.timer(
            DirectContent.user(session.handle()),
            DirectContent.room(session.handle(), peer),
            seconds);
    return session.sending().sendNow(peer, content, new ChatMessage.TimerSet(seconds));
  }

  /**
   * Tells the conversation's other devices (a handle's, or a group's as {@code group} names it)
   * that this person started or stopped typing: pushed to the devices connected now, stored
   * nowhere.
   */
  Sent typing(String conversation, boolean group, boolean started) {
    if (group) {
      GroupSender.Result r =
          session
              .groupSender()
              .send(conversation, b -> ChatContent.typing(b.sender(), b.room(), started), true);
      return new Sent(
          session.groups().show(conversation).conversation(), r.messageId(), r.devices());
    }
    Handle peer = DeviceSetup.parseHandle(conversation, session.handle()::domain);
    MimiContent content =
        ChatContent.typing(
            DirectContent.user(session.handle()),
            DirectContent.room(session.handle(), peer),
            started);
    int devices =
        session
            .fanout()
            .send(
                session.directory().known(peer),
                org.parley.content.MimiCodec.encode(content),
                System.currentTimeMillis(),
                true)
            .size();
    return new Sent(peer.value(), DirectContent.id(session.handle(), peer, content).hex(), devices);
  }

  private interface Build {
    MimiContent build(MimiUri me, MimiUri room);
  }

  private Sent send(Target t, Build build) {
    if (isGroup(t)) {
      GroupSender.Result r =
          session.groupSender().send(t.conversation(), b -> build.build(b.sender(), b.room()));
      return new Sent(t.conversation(), r.messageId(), r.devices());
    }
    Handle peer = Handle.of(t.conversation());
    MimiContent content =
        build.build(
            DirectContent.user(session.handle()), DirectContent.room(session.handle(), peer));
    ChatMessage what;
    try {
      what = ChatMessage.of(content);
    } catch (ContentFormatException e) {
      throw new ClientException("cannot send this: " + e.getMessage(), e);
    }
    return session.sending().sendNow(peer, content, what);
  }

  /** One of this account's texts, still shown. */
  private Target own(String ref, String action) {
    Target t = resolve(ref);
    requireShown(t, ref);
    if (!t.outgoing() || !t.senderHandle().equals(session.handle().value())) {
      throw new ClientException(
          "you can "
              + action
              + " only your own messages; "
              + ref
              + " is "
              + t.senderHandle()
              + "'s");
    }
    return t;
  }

  private static void requireShown(Target t, String ref) {
    if (!t.isText()) {
      throw new ClientException(ref + " is not a message");
    }
    if (t.gone().isPresent()) {
      throw new ClientException(ref + " was " + t.gone().get());
    }
  }

  private static boolean isGroup(Target t) {
    return t.conversation().startsWith(Groups.CONVERSATION_PREFIX);
  }

  /** The message a reference names: its id, or at least its first {@value #MIN_REF_DIGITS}. */
  Target resolve(String ref) {
    String digits = ref.trim().toLowerCase(java.util.Locale.ROOT);
    if (digits.startsWith("#")) {
      digits = digits.substring(1);
    }
    if (digits.length() < MIN_REF_DIGITS || !digits.matches("[0-9a-f]+")) {
      throw new ClientException(
          "name a message by its id: at least "
              + MIN_REF_DIGITS
              + " hex digits, as `parley history` shows them (got \""
              + ref
              + "\")");
    }
    List<byte[]> ids = chat.idsStartingWith(digits, 2);
    if (ids.isEmpty()) {
      throw new ClientException(
          "no message " + ref + " on this device; `parley history` shows the messages' ids");
    }
    if (ids.size() > 1) {
      throw new ClientException(ref + " names more than one message; give more of its digits");
    }
    return chat.target(ids.getFirst()).orElseThrow();
  }

  private static MessageId idOf(Target t, String ref) {
    return new MessageId(ByteString.of(t.mimiId()));
  }

  static String hex(byte[] id) {
    return HexFormat.of().formatHex(id);
  }
}
