package org.parley.protocol.kt;

/** Bytes that are not the canonical encoding of a published value; the message says why. */
public final class MalformedValueException extends Exception {
  public MalformedValueException(String message) {
    super(message);
  }
}
