package org.parley.content;

import java.util.Objects;
import org.parley.protocol.cbor.ByteString;
import org.parley.protocol.cbor.CborException;
import org.parley.protocol.cbor.CborReader;
import org.parley.protocol.cbor.CborValue;
import org.parley.protocol.cbor.CborWriter;
import org.parley.protocol.cbor.Utf8;

/**
 * Values a receiver knows about a message without them being in it (draft "Derived Data Values",
 * {@code MessageDerivedValues}). Parley never sends these; the codec exists so the draft's whole
 * example set decodes, and for tools that exchange them.
 */
public record MessageDerivedValues(
    MessageId messageId,
    HubTimestamp hubAcceptedTimestamp,
    ByteString mlsGroupId,
    long senderLeafIndex,
    String senderClientUrl,
    String senderUserUrl,
    String roomUrl) {

  /** RFC 9581 extended time tag. */
  public static final long EXTENDED_TIME_TAG = 1001;

  public MessageDerivedValues {
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(hubAcceptedTimestamp, "hubAcceptedTimestamp");
    Objects.requireNonNull(mlsGroupId, "mlsGroupId");
    if (senderLeafIndex < 0 || senderLeafIndex > 0xffffffffL) {
      throw new IllegalArgumentException("senderLeafIndex must fit in 32 unsigned bits");
    }
    Utf8.requireWellFormed(senderClientUrl, "senderClientUrl");
    Utf8.requireWellFormed(senderUserUrl, "senderUserUrl");
    Utf8.requireWellFormed(roomUrl, "roomUrl");
  }

  /** When the hub accepted the message: epoch milliseconds, or an RFC 9581 extended time map. */
  public sealed interface HubTimestamp {
    /** Milliseconds since the UNIX epoch, an unsigned 64-bit number. */
    record Millis(long millis) implements HubTimestamp {}

    /** The map inside tag 1001, entries in deterministic order. */
    record Extended(CborValue.MapValue map) implements HubTimestamp {
      public Extended {
        Objects.requireNonNull(map, "map");
      }
    }
  }

  public byte[] encode() {
    CborWriter out = new CborWriter();
    out.writeArrayHeader(7).writeBytes(messageId.value());
    switch (hubAcceptedTimestamp) {
      case HubTimestamp.Millis m -> out.writeUnsigned(m.millis());
      case HubTimestamp.Extended e ->
          out.writeValue(new CborValue.Tagged(EXTENDED_TIME_TAG, e.map()));
    }
    return out.writeBytes(mlsGroupId)
        .writeUnsigned(senderLeafIndex)
        .writeText(senderClientUrl)
        .writeText(senderUserUrl)
        .writeText(roomUrl)
        .toByteArray();
  }

  public static MessageDerivedValues decode(byte[] encoded) throws ContentFormatException {
    try {
      return read(encoded);
    } catch (CborException e) {
      throw ContentFormatException.of(e);
    }
  }

  private static MessageDerivedValues read(byte[] encoded) throws CborException {
    CborReader in = new CborReader(encoded);
    in.readArrayHeader("MessageDerivedValues", 7);
    MessageId id = new MessageId(in.readBytes("messageId", MessageId.SIZE));
    int at = in.position();
    HubTimestamp timestamp;
    if (encoded.length > at && (encoded[at] & 0xe0) == 0xc0) {
      CborValue tagged = in.readValue("hubAcceptedTimestamp", 3);
      if (!(tagged instanceof CborValue.Tagged(long tag, CborValue content))
          || tag != EXTENDED_TIME_TAG
          || !(content instanceof CborValue.MapValue map)) {
        throw new ContentFormatException(
            "hubAcceptedTimestamp at offset " + at + ": expected tag 1001 holding a map");
      }
      timestamp = new HubTimestamp.Extended(map);
    } else {
      timestamp = new HubTimestamp.Millis(in.readUnsigned("hubAcceptedTimestamp", -1L));
    }
    MessageDerivedValues values =
        new MessageDerivedValues(
            id,
            timestamp,
            in.readBytes("mlsGroupId"),
            in.readUnsigned("senderLeafIndex", 0xffffffffL),
            in.readText("senderClientUrl"),
            in.readText("senderUserUrl"),
            in.readText("roomUrl"));
    in.requireEnd("MessageDerivedValues");
    return values;
  }
}
