package org.parley.server.kt;

/**
 * An append came from a server that no longer holds the publisher lease ({@link PublisherLease});
 * nothing was stored. The server follows the log from the store instead.
 */
public final class LeaseLostException extends IllegalStateException {
  public LeaseLostException(String message) {
    super(message);
  }
}
