package org.parley.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.parley.content.Extensions;
import org.parley.content.MessageId;
import org.parley.content.MimiCodec;
import org.parley.content.MimiContent;
import org.parley.content.MimiUri;
import org.parley.content.ParleyUris;
import org.parley.content.status.MessageStatus;
import org.parley.content.status.MessageStatusReport;
import org.parley.content.status.PerMessageStatus;
import org.parley.protocol.Handle;
import org.parley.protocol.cbor.CborValue;

/**
 * The MIMI content of 1:1 conversations (docs/spec/content.md): texts and receipts with the
 * sender's user URI and the conversation's direct room URI.
 *
 * <p><b>Sent copies.</b> The copy of a sent text that goes to the sender's own other devices
 * carries one more extension, {@value #RECIPIENT_EXTENSION} = the peer's handle, because the direct
 * room URI is a hash those devices cannot invert. The receiving device checks the claim against the
 * room URI, removes the extension and re-encodes: the encoding is deterministic, so it gets exactly
 * the bytes the peer received and the same message id. Copies for the peer carry only the two URIs.
 */
final class DirectContent {
  static final String RECIPIENT_EXTENSION = "parley-recipient";
  private static final CborValue RECIPIENT_KEY = CborValue.text(RECIPIENT_EXTENSION);

  /**
   * The sending device's delivery credential, handed to the people it writes to so that they may
   * send it sealed envelopes (docs/spec/sealed-sender.md).
   */
  static final String DELIVERY_EXTENSION = "parley-delivery";

  private static final CborValue DELIVERY_KEY = CborValue.text(DELIVERY_EXTENSION);

  private DirectContent() {}

  static MimiUri user(Handle handle) {
    return ParleyUris.user(handle.value());
  }

  /** The direct room of two handles (symmetric). */
  static MimiUri room(Handle a, Handle b) {
    return ParleyUris.directRoom(a.value(), b.value());
  }

  static MimiContent text(Handle me, Handle peer, String text) {
    return MimiContent.text(user(me), room(me, peer), text);
  }

  /** {@code content} with this device's delivery credential, if it has one to hand out. */
  static MimiContent withDeliveryCredential(MimiContent content, Optional<byte[]> credential) {
    return credential
        .map(
            c ->
                withExtension(
                    content,
                    DELIVERY_KEY,
                    new CborValue.Bytes(org.parley.protocol.cbor.ByteString.of(c))))
        .orElse(content);
  }

  /** The delivery credential a message hands over, if it carries one. */
  static Optional<byte[]> deliveryCredential(MimiContent content) {
    return content
        .extensions()
        .get(DELIVERY_KEY)
        .filter(CborValue.Bytes.class::isInstance)
        .map(v -> ((CborValue.Bytes) v).value().toByteArray());
  }

  static MimiContent receipt(Handle me, Handle peer, List<MessageId> delivered) {
    return MimiContent.status(
        user(me),
        room(me, peer),
        MessageStatusReport.of(MessageStatus.DELIVERED, delivered.toArray(MessageId[]::new)));
  }

  /** The id of content as the peer receives it. */
  static MessageId id(Handle sender, Handle peer, MimiContent content) {
    return MessageId.of(user(sender), room(sender, peer), MimiCodec.encode(content));
  }

  /** The copy of a sent message for the sender's other devices. */
  static MimiContent sentCopy(MimiContent sent, Handle peer) {
    return withExtension(sent, RECIPIENT_KEY, CborValue.text(peer.value()));
  }

  /** {@code content} with one more Parley extension. */
  private static MimiContent withExtension(MimiContent content, CborValue key, CborValue value) {
    List<CborValue.Entry> entries = new ArrayList<>(content.extensions().entries());
    entries.add(new CborValue.Entry(key, value));
    return withExtensions(content, new Extensions(entries));
  }

  /** The recipient a sent copy names, if it is one. */
  static Optional<String> sentCopyRecipient(MimiContent content) {
    return content
        .extensions()
        .get(RECIPIENT_KEY)
        .filter(CborValue.Text.class::isInstance)
        .map(v -> ((CborValue.Text) v).value());
  }

  /** The message as the peer received it: the sent copy without the recipient extension. */
  static MimiContent withoutSentCopyRecipient(MimiContent content) {
    List<CborValue.Entry> entries =
        content.extensions().entries().stream()
            .filter(e -> !e.key().equals(RECIPIENT_KEY))
            .toList();
    return withExtensions(content, new Extensions(entries));
  }

  /** The ids a receipt reports delivered (or read, which implies delivered). */
  static List<MessageId> deliveredIds(MessageStatusReport report) {
    return report.statuses().stream()
        .filter(
            s ->
                s.status().equals(MessageStatus.DELIVERED) || s.status().equals(MessageStatus.READ))
        .map(PerMessageStatus::messageId)
        .toList();
  }

  private static MimiContent withExtensions(MimiContent c, Extensions extensions) {
    return new MimiContent(
        c.salt(),
        c.replaces(),
        c.topicId(),
        c.expires(),
        c.inReplyTo(),
        extensions,
        c.nestedPart());
  }
}
