package org.parley.keytrans.log;

/** A log tree proof that does not prove what it was asked to prove. */
public final class InvalidProofException extends Exception {
  private static final long serialVersionUID = 1L;

  public InvalidProofException(String message) {
    super(message);
  }
}
