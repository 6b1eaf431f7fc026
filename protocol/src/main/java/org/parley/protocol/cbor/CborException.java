package org.parley.protocol.cbor;

/**
 * Bytes that are not the deterministic CBOR a reader expects; the message says where and why, and
 * never echoes the offending bytes.
 */
public class CborException extends Exception {
  private static final long serialVersionUID = 1L;

  public CborException(String message) {
    super(message);
  }
}
