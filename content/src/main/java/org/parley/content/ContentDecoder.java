package org.parley.content;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.parley.protocol.cbor.ByteString;
import org.parley.protocol.cbor.CborException;
import org.parley.protocol.cbor.CborReader;
import org.parley.protocol.cbor.CborValue;

/**
 * Reads the draft's array layout field by field. Structural limits (depth, part count, integer
 * widths) are checked before recursing or building, so hostile input fails fast and typed.
 */
final class ContentDecoder {
  private final CborReader in;
  private int parts;

  private ContentDecoder(byte[] encoded) {
    this.in = new CborReader(encoded);
  }

  static MimiContent decode(byte[] encoded) throws ContentFormatException {
    try {
      ContentDecoder decoder = new ContentDecoder(encoded);
      MimiContent content = decoder.readContent();
      decoder.in.requireEnd("mimiContent");
      return content;
    } catch (CborException e) {
      throw ContentFormatException.of(e);
    }
  }

  private MimiContent readContent() throws CborException {
    in.readArrayHeader("mimiContent", 7);
    Salt salt = new Salt(in.readBytes("salt", Salt.SIZE));
    Optional<MessageId> replaces = readMessageIdOrNull("replaces");
    int topicAt = in.position();
    ByteString topicId = in.readBytes("topicId");
    if (topicId.size() > MimiContent.MAX_TOPIC_ID_OCTETS) {
      throw new ContentFormatException(
          "topicId at offset " + topicAt + ": longer than " + MimiContent.MAX_TOPIC_ID_OCTETS);
    }
    Optional<Expiration> expires = Optional.empty();
    if (!in.tryReadNull("expires")) {
      in.readArrayHeader("expires", 2);
      boolean relative = in.readBoolean("expires.relative");
      expires = Optional.of(new Expiration(relative, in.readUnsigned("expires.time", 0xffffffffL)));
    }
    Optional<MessageId> inReplyTo = readMessageIdOrNull("inReplyTo");
    Extensions extensions = readExtensions();
    NestedPart body = readPart("nestedPart", 1);
    return new MimiContent(salt, replaces, topicId, expires, inReplyTo, extensions, body);
  }

  private Optional<MessageId> readMessageIdOrNull(String field) throws CborException {
    if (in.tryReadNull(field)) {
      return Optional.empty();
    }
    return Optional.of(new MessageId(in.readBytes(field, MessageId.SIZE)));
  }

  /** Keys and order are checked by the reader; the record then checks the draft's key rules. */
  private Extensions readExtensions() throws CborException {
    int at = in.position();
    CborValue map = in.readValue("mimiExtensions", 1 + Extensions.MAX_VALUE_DEPTH);
    if (!(map instanceof CborValue.MapValue m)) {
      throw new ContentFormatException("mimiExtensions at offset " + at + ": expected a map");
    }
    try {
      return new Extensions(m.entries());
    } catch (IllegalArgumentException e) {
      throw new ContentFormatException("mimiExtensions at offset " + at + ": " + e.getMessage());
    }
  }

  private NestedPart readPart(String field, int level) throws CborException {
    int at = in.position();
    if (level > NestedPart.MAX_DEPTH) {
      throw new ContentFormatException(
          field
              + " at offset "
              + at
              + ": parts nested more than "
              + NestedPart.MAX_DEPTH
              + " deep");
    }
    if (++parts > NestedPart.MAX_PARTS) {
      throw new ContentFormatException(
          field + " at offset " + at + ": more than " + NestedPart.MAX_PARTS + " parts");
    }
    int size = in.readArrayHeader(field);
    if (size < 3) {
      throw new ContentFormatException(field + " at offset " + at + ": NestedPart too short");
    }
    Disposition disposition = new Disposition((int) in.readUnsigned(field + ".disposition", 255));
    String language = in.readText(field + ".language");
    int cardinalityAt = in.position();
    long cardinality = in.readUnsigned(field + ".cardinality", Long.MAX_VALUE);
    int expected =
        switch ((int) Math.min(cardinality, 4)) {
          case 0 -> 3;
          case 1, 3 -> 5;
          case 2 -> 15;
          default ->
              throw new ContentFormatException(
                  field + " at offset " + cardinalityAt + ": unknown cardinality " + cardinality);
        };
    if (size != expected) {
      throw new ContentFormatException(
          field
              + " at offset "
              + at
              + ": cardinality "
              + cardinality
              + " needs "
              + expected
              + " fields, found "
              + size);
    }
    Part part =
        switch ((int) cardinality) {
          case 0 -> NullPart.INSTANCE;
          case 1 ->
              new SinglePart(in.readText(field + ".contentType"), in.readBytes(field + ".content"));
          case 2 -> readExternal(field);
          default -> readMulti(field, level);
        };
    return new NestedPart(disposition, language, part);
  }

  private ExternalPart readExternal(String field) throws CborException {
    return new ExternalPart(
        in.readText(field + ".contentType"),
        in.readText(field + ".url"),
        in.readUnsigned(field + ".expires", 0xffffffffL),
        in.readUnsigned(field + ".size", -1L),
        (int) in.readUnsigned(field + ".encAlg", 0xffff),
        in.readBytes(field + ".key"),
        in.readBytes(field + ".nonce"),
        in.readBytes(field + ".aad"),
        (int) in.readUnsigned(field + ".hashAlg", 0xff),
        in.readBytes(field + ".contentHash"),
        in.readText(field + ".description"),
        in.readText(field + ".filename"));
  }

  private MultiPart readMulti(String field, int level) throws CborException {
    int semanticsAt = in.position();
    long code = in.readUnsigned(field + ".partSemantics", Long.MAX_VALUE);
    if (code > PartSemantics.PROCESS_ALL.code()) {
      throw new ContentFormatException(
          field + ".partSemantics at offset " + semanticsAt + ": unknown value " + code);
    }
    int partsAt = in.position();
    int count = in.readArrayHeader(field + ".parts");
    if (count < 2) {
      throw new ContentFormatException(
          field + ".parts at offset " + partsAt + ": a MultiPart needs at least two parts");
    }
    List<NestedPart> children = new ArrayList<>(Math.min(count, 16));
    for (int i = 0; i < count; i++) {
      children.add(readPart(field + ".parts[" + i + "]", level + 1));
    }
    return new MultiPart(PartSemantics.ofCode(code), children);
  }
}
