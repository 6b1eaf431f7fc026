package org.parley.client;

/** A device key the server's directory gave was refused by the trust policy; nothing was sent. */
public final class UntrustedIdentityException extends ClientException {
  private static final long serialVersionUID = 1L;

  public UntrustedIdentityException(String message) {
    super(message);
  }
}
