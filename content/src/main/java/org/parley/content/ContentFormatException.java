package org.parley.content;

/**
 * Bytes that are not a well-formed, deterministic MIMI content encoding; the message says where and
 * why, and never echoes the offending content.
 */
public final class ContentFormatException extends Exception {
  private static final long serialVersionUID = 1L;

  public ContentFormatException(String message) {
    super(message);
  }
}
