package org.parley.server.kt;

/**
 * An append was not for the log's next position: another publisher appended first, or the caller's
 * in-memory log is out of step with the store. Nothing was stored; rebuild from the store.
 */
public final class KtPositionException extends IllegalStateException {
  public KtPositionException(String message) {
    super(message);
  }
}
