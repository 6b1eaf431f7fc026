package org.parley.content;

import java.util.Optional;
import org.parley.protocol.cbor.CborValue;
import org.parley.protocol.cbor.CborWriter;

/** Writes the draft's array layout; every value was validated when its record was built. */
final class ContentEncoder {
  private ContentEncoder() {}

  static byte[] encode(MimiContent content) {
    CborWriter out = new CborWriter();
    out.writeArrayHeader(7);
    out.writeBytes(content.salt().value());
    messageIdOrNull(out, content.replaces());
    out.writeBytes(content.topicId());
    content
        .expires()
        .ifPresentOrElse(
            e -> out.writeArrayHeader(2).writeBoolean(e.relative()).writeUnsigned(e.seconds()),
            out::writeNull);
    messageIdOrNull(out, content.inReplyTo());
    out.writeMapHeader(content.extensions().entries().size());
    for (CborValue.Entry entry : content.extensions().entries()) {
      out.writeValue(entry.key()).writeValue(entry.value());
    }
    writePart(out, content.nestedPart());
    return out.toByteArray();
  }

  private static void messageIdOrNull(CborWriter out, Optional<MessageId> id) {
    id.ifPresentOrElse(i -> out.writeBytes(i.value()), out::writeNull);
  }

  private static void writePart(CborWriter out, NestedPart nested) {
    Part part = nested.part();
    int fields =
        switch (part) {
          case NullPart n -> 3;
          case SinglePart s -> 5;
          case ExternalPart e -> 15;
          case MultiPart m -> 5;
        };
    out.writeArrayHeader(fields);
    out.writeUnsigned(nested.disposition().value());
    out.writeText(nested.language());
    out.writeUnsigned(part.cardinality());
    switch (part) {
      case NullPart n -> {}
      case SinglePart s -> out.writeText(s.contentType()).writeBytes(s.content());
      case ExternalPart e ->
          out.writeText(e.contentType())
              .writeText(e.url())
              .writeUnsigned(e.expires())
              .writeUnsigned(e.size())
              .writeUnsigned(e.encAlg())
              .writeBytes(e.key())
              .writeBytes(e.nonce())
              .writeBytes(e.aad())
              .writeUnsigned(e.hashAlg())
              .writeBytes(e.contentHash())
              .writeText(e.description())
              .writeText(e.filename());
      case MultiPart m -> {
        out.writeUnsigned(m.partSemantics().code());
        out.writeArrayHeader(m.parts().size());
        m.parts().forEach(child -> writePart(out, child));
      }
    }
  }
}
