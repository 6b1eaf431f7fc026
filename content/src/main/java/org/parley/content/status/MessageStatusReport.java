package org.parley.content.status;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.parley.content.ContentFormatException;
import org.parley.content.MessageId;
import org.parley.protocol.cbor.ByteString;
import org.parley.protocol.cbor.CborException;
import org.parley.protocol.cbor.CborReader;
import org.parley.protocol.cbor.CborWriter;

/**
 * An {@code application/mimi-message-status} body: statuses of any number of messages in one room,
 * so a client can acknowledge a batch in one receipt. Parley's delivery receipt is one of these
 * carried in a {@link org.parley.content.MimiContent#status} message.
 */
public record MessageStatusReport(List<PerMessageStatus> statuses) {
  public static final String MEDIA_TYPE = "application/mimi-message-status";

  public MessageStatusReport {
    statuses = List.copyOf(statuses);
  }

  /** The same status for each of {@code ids}, e.g. {@code DELIVERED} for a received batch. */
  public static MessageStatusReport of(MessageStatus status, MessageId... ids) {
    return new MessageStatusReport(
        Arrays.stream(ids).map(id -> new PerMessageStatus(id, status)).toList());
  }

  public ByteString encode() {
    CborWriter out = new CborWriter();
    out.writeArrayHeader(statuses.size());
    for (PerMessageStatus s : statuses) {
      out.writeArrayHeader(2).writeBytes(s.messageId().value()).writeUnsigned(s.status().value());
    }
    return ByteString.of(out.toByteArray());
  }

  public static MessageStatusReport decode(byte[] encoded) throws ContentFormatException {
    try {
      return read(encoded);
    } catch (CborException e) {
      throw ContentFormatException.of(e);
    }
  }

  private static MessageStatusReport read(byte[] encoded) throws CborException {
    CborReader in = new CborReader(encoded);
    int count = in.readArrayHeader("MessageStatusReport");
    List<PerMessageStatus> statuses = new ArrayList<>(Math.min(count, 64));
    for (int i = 0; i < count; i++) {
      String field = "statuses[" + i + "]";
      in.readArrayHeader(field, 2);
      MessageId id = new MessageId(in.readBytes(field + ".messageId", MessageId.SIZE));
      int status = (int) in.readUnsigned(field + ".status", 255);
      statuses.add(new PerMessageStatus(id, new MessageStatus(status)));
    }
    in.requireEnd("MessageStatusReport");
    return new MessageStatusReport(statuses);
  }

  public static MessageStatusReport decode(ByteString encoded) throws ContentFormatException {
    return decode(encoded.toByteArray());
  }
}
