package org.parley.content;

import org.parley.protocol.cbor.CborException;

/**
 * Bytes that are not a well-formed, deterministic MIMI content encoding; the message says where and
 * why, and never echoes the offending content.
 */
public final class ContentFormatException extends CborException {
  private static final long serialVersionUID = 1L;

  public ContentFormatException(String message) {
    super(message);
  }

  /** The content-level form of a CBOR reader's failure (a content exception is returned as is). */
  public static ContentFormatException of(CborException e) {
    return e instanceof ContentFormatException c ? c : new ContentFormatException(e.getMessage());
  }
}
