package org.parley.client;

/**
 * Something a client operation could not do, with a message meant for people. Subclasses say
 * whether the server refused ({@link ServerException}) or could not be reached ({@link
 * ServerUnreachableException}); this class itself is a local problem (state file, bad input).
 */
public class ClientException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ClientException(String message) {
    super(message);
  }

  public ClientException(String message, Throwable cause) {
    super(message, cause);
  }
}
