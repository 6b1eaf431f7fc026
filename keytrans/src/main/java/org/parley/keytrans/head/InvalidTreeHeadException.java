package org.parley.keytrans.head;

/** A tree head whose signature does not verify for the claimed configuration, size and root. */
public final class InvalidTreeHeadException extends Exception {
  private static final long serialVersionUID = 1L;

  public InvalidTreeHeadException(String message) {
    super(message);
  }
}
