package org.parley.client;

/**
 * The profile has no account: never registered or linked, or reset after its device was removed.
 */
public final class NotRegisteredException extends ClientException {
  private static final long serialVersionUID = 1L;

  public NotRegisteredException(String message) {
    super(message);
  }
}
