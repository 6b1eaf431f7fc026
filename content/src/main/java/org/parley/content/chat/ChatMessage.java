package org.parley.content.chat;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.parley.content.ContentFormatException;
import org.parley.content.Disposition;
import org.parley.content.MessageId;
import org.parley.content.MimiContent;
import org.parley.content.NullPart;
import org.parley.content.SinglePart;
import org.parley.content.status.MessageStatusReport;
import org.parley.protocol.cbor.CborValue;

/**
 * What a MIMI content message does in a conversation (docs/spec/content.md, section 2): the one
 * reading of its fields every Parley client applies. {@link #of} refuses a shape that means nothing
 * (a reaction to no message, an edit without text), so a receiver can record why it dropped it.
 */
public sealed interface ChatMessage {

  /** A text to show, answering {@code inReplyTo} if present. */
  record Text(String text, Optional<MessageId> inReplyTo) implements ChatMessage {}

  /** A new text for {@code target}, the first version of one of the sender's own texts. */
  record Edit(MessageId target, String text) implements ChatMessage {}

  /** A reaction (one emoji, typically) to {@code target}; a person's newer one replaces it. */
  record Reaction(MessageId target, String reaction) implements ChatMessage {}

  /**
   * {@code target} taken back by its sender: a text unsent for everyone, or a reaction removed.
   * MIMI's delete: a NullPart that replaces the target.
   */
  record Retraction(MessageId target) implements ChatMessage {}

  /** Delivery or read receipts (draft-mahy-mimi-message-status). */
  record Status(MessageStatusReport report) implements ChatMessage {}

  /** The conversation's disappearing-message timer set to {@code seconds}, 0 for off. */
  record TimerSet(long seconds) implements ChatMessage {}

  /** The sender started or stopped typing; never stored. */
  record Typing(boolean started) implements ChatMessage {}

  /** The Parley extension of a timer setting: an unsigned integer of seconds. */
  String TIMER_EXTENSION = "parley-timer";

  /** The Parley extension of a typing indicator: true when started, false when stopped. */
  String TYPING_EXTENSION = "parley-typing";

  /** Reads what {@code content} does; group control messages are read by the group code first. */
  static ChatMessage of(MimiContent content) throws ContentFormatException {
    Optional<CborValue> timer = content.extensions().get(CborValue.text(TIMER_EXTENSION));
    Optional<CborValue> typing = content.extensions().get(CborValue.text(TYPING_EXTENSION));
    if (timer.isPresent() || typing.isPresent()) {
      if (!(content.nestedPart().part() instanceof NullPart)
          || content.replaces().isPresent()
          || content.inReplyTo().isPresent()
          || (timer.isPresent() && typing.isPresent())) {
        throw new ContentFormatException(
            "a timer or typing message must have an empty body and refer to no message");
      }
      if (timer.isPresent()) {
        if (!(timer.get() instanceof CborValue.UnsignedInt seconds)
            || seconds.raw() < 0
            || seconds.raw() > ChatRules.MAX_TIMER.toSeconds()) {
          throw new ContentFormatException(
              TIMER_EXTENSION + " must be 0 to " + ChatRules.MAX_TIMER.toSeconds() + " seconds");
        }
        return new TimerSet(seconds.raw());
      }
      if (!typing.get().equals(CborValue.TRUE) && !typing.get().equals(CborValue.FALSE)) {
        throw new ContentFormatException(TYPING_EXTENSION + " must be a boolean");
      }
      return new Typing(typing.get().equals(CborValue.TRUE));
    }
    Optional<MessageStatusReport> report = statusReport(content);
    if (report.isPresent()) {
      return new Status(report.get());
    }
    boolean reaction = content.nestedPart().disposition().equals(Disposition.REACTION);
    if (content.nestedPart().part() instanceof NullPart) {
      if (content.replaces().isEmpty()) {
        throw new ContentFormatException("an empty message that replaces nothing");
      }
      return new Retraction(content.replaces().get());
    }
    Optional<String> text = text(content);
    if (text.isEmpty()) {
      throw new ContentFormatException("a message of a kind this client cannot show yet");
    }
    if (reaction) {
      if (content.inReplyTo().isEmpty() || content.replaces().isPresent()) {
        throw new ContentFormatException("a reaction must name the message it reacts to");
      }
      ChatRules.checkReaction(text.get());
      return new Reaction(content.inReplyTo().get(), text.get());
    }
    if (text.get().isEmpty()) {
      throw new ContentFormatException("an empty text");
    }
    if (content.replaces().isPresent()) {
      return new Edit(content.replaces().get(), text.get());
    }
    return new Text(text.get(), content.inReplyTo());
  }

  private static Optional<MessageStatusReport> statusReport(MimiContent content)
      throws ContentFormatException {
    Optional<org.parley.protocol.cbor.ByteString> bytes = content.statusReportBytes();
    return bytes.isEmpty()
        ? Optional.empty()
        : Optional.of(MessageStatusReport.decode(bytes.get()));
  }

  /** The text of a plain-text or Markdown single part (Markdown is shown as it is written). */
  private static Optional<String> text(MimiContent content) {
    if (content.nestedPart().part() instanceof SinglePart single) {
      String type = single.contentType().toLowerCase(java.util.Locale.ROOT);
      if (type.equals(MimiContent.TEXT_PLAIN) || type.startsWith("text/markdown")) {
        return Optional.of(new String(single.content().toByteArray(), StandardCharsets.UTF_8));
      }
    }
    return Optional.empty();
  }
}
