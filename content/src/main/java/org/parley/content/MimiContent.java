package org.parley.content;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import org.parley.content.status.MessageStatusReport;
import org.parley.protocol.cbor.ByteString;
import org.parley.protocol.cbor.Utf8;

/**
 * One MIMI content message (draft-ietf-mimi-content {@code mimiContent}): the plaintext inside
 * every Parley envelope. Field names and order follow the draft's CDDL.
 *
 * @param topicId opaque thread/topic grouping, empty for none
 */
public record MimiContent(
    Salt salt,
    Optional<MessageId> replaces,
    ByteString topicId,
    Optional<Expiration> expires,
    Optional<MessageId> inReplyTo,
    Extensions extensions,
    NestedPart nestedPart) {

  /** The draft deems a longer topicId nonsensical; Parley refuses to build or accept one. */
  public static final int MAX_TOPIC_ID_OCTETS = 4096;

  public static final String TEXT_PLAIN = "text/plain;charset=utf-8";
  public static final String MESSAGE_STATUS = MessageStatusReport.MEDIA_TYPE;

  public MimiContent {
    Objects.requireNonNull(salt, "salt");
    Objects.requireNonNull(replaces, "replaces");
    Objects.requireNonNull(topicId, "topicId");
    if (topicId.size() > MAX_TOPIC_ID_OCTETS) {
      throw new IllegalArgumentException("topicId longer than " + MAX_TOPIC_ID_OCTETS + " octets");
    }
    Objects.requireNonNull(expires, "expires");
    Objects.requireNonNull(inReplyTo, "inReplyTo");
    Objects.requireNonNull(extensions, "extensions");
    Objects.requireNonNull(nestedPart, "nestedPart");
  }

  /** A fresh message with a random salt and no replaces/topic/expiry/reply. */
  public static MimiContent of(MimiUri sender, MimiUri room, NestedPart body) {
    return new MimiContent(
        Salt.random(),
        Optional.empty(),
        ByteString.EMPTY,
        Optional.empty(),
        Optional.empty(),
        Extensions.of(sender, room),
        body);
  }

  /** A plain text message: one {@code text/plain;charset=utf-8} part to render. */
  public static MimiContent text(MimiUri sender, MimiUri room, String text) {
    return of(sender, room, NestedPart.single(Disposition.RENDER, TEXT_PLAIN, utf8(text)));
  }

  /** A reply: like {@link #text} but pointing at the message it answers. */
  public static MimiContent reply(MimiUri sender, MimiUri room, MessageId original, String text) {
    return text(sender, room, text).withInReplyTo(original);
  }

  /** A single reaction (typically one emoji) to {@code target}. */
  public static MimiContent reaction(
      MimiUri sender, MimiUri room, MessageId target, String reaction) {
    return of(sender, room, NestedPart.single(Disposition.REACTION, TEXT_PLAIN, utf8(reaction)))
        .withInReplyTo(target);
  }

  /** Retracts {@code original} (a message or a reaction): a NullPart that replaces it. */
  public static MimiContent delete(MimiUri sender, MimiUri room, MessageId original) {
    return of(sender, room, NestedPart.none(Disposition.RENDER)).withReplaces(original);
  }

  /**
   * A delivery/read receipt: one {@code application/mimi-message-status} part
   * (draft-mahy-mimi-message-status) with disposition {@code unspecified}, since a receipt updates
   * message state rather than being shown.
   */
  public static MimiContent status(MimiUri sender, MimiUri room, MessageStatusReport report) {
    return of(
        sender,
        room,
        new NestedPart(
            Disposition.UNSPECIFIED, "", new SinglePart(MESSAGE_STATUS, report.encode())));
  }

  public MimiContent withSalt(Salt newSalt) {
    return new MimiContent(newSalt, replaces, topicId, expires, inReplyTo, extensions, nestedPart);
  }

  public MimiContent withExtensions(Extensions newExtensions) {
    return new MimiContent(salt, replaces, topicId, expires, inReplyTo, newExtensions, nestedPart);
  }

  public MimiContent withReplaces(MessageId id) {
    return new MimiContent(
        salt, Optional.of(id), topicId, expires, inReplyTo, extensions, nestedPart);
  }

  public MimiContent withInReplyTo(MessageId id) {
    return new MimiContent(
        salt, replaces, topicId, expires, Optional.of(id), extensions, nestedPart);
  }

  public MimiContent withExpires(Expiration expiration) {
    return new MimiContent(
        salt, replaces, topicId, Optional.of(expiration), inReplyTo, extensions, nestedPart);
  }

  public MimiContent withTopicId(ByteString topic) {
    return new MimiContent(salt, replaces, topic, expires, inReplyTo, extensions, nestedPart);
  }

  /** The text of a top-level {@code text/plain} single part, if that is what this message is. */
  public Optional<String> plainText() {
    return nestedPart.part() instanceof SinglePart single
            && single.contentType().equalsIgnoreCase(TEXT_PLAIN)
        ? Optional.of(new String(single.content().toByteArray(), StandardCharsets.UTF_8))
        : Optional.empty();
  }

  /** The top-level message status report, if this message is a receipt. */
  public Optional<ByteString> statusReportBytes() {
    return nestedPart.part() instanceof SinglePart single
            && single.contentType().equalsIgnoreCase(MESSAGE_STATUS)
        ? Optional.of(single.content())
        : Optional.empty();
  }

  private static byte[] utf8(String text) {
    return Utf8.encode(Utf8.requireWellFormed(text, "text"));
  }
}
