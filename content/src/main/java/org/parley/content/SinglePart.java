package org.parley.content;

import java.util.Objects;
import org.parley.protocol.cbor.ByteString;
import org.parley.protocol.cbor.Utf8;

/** Inline content of one media type, e.g. {@code text/plain;charset=utf-8}. */
public record SinglePart(String contentType, ByteString content) implements Part {
  public SinglePart {
    Utf8.requireWellFormed(contentType, "contentType");
    Objects.requireNonNull(content, "content");
  }

  @Override
  public int cardinality() {
    return 1;
  }
}
