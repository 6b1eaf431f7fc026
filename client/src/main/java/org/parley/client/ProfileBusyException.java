package org.parley.client;

/** Another {@code listen} (in this or another process) holds the profile. */
public final class ProfileBusyException extends ClientException {
  private static final long serialVersionUID = 1L;

  public ProfileBusyException(String message) {
    super(message);
  }
}
