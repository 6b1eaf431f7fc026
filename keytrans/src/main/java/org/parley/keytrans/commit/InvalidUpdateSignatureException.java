package org.parley.keytrans.commit;

/** An update whose Service Operator signature (thirdPartyManagement) is missing or invalid. */
public final class InvalidUpdateSignatureException extends Exception {
  private static final long serialVersionUID = 1L;

  public InvalidUpdateSignatureException(String message) {
    super(message);
  }
}
