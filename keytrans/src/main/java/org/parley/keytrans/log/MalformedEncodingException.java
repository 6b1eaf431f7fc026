package org.parley.keytrans.log;

/** Bytes that are not a valid TLS-presentation encoding of the expected structure. */
public final class MalformedEncodingException extends Exception {
  private static final long serialVersionUID = 1L;

  public MalformedEncodingException(String message) {
    super(message);
  }
}
