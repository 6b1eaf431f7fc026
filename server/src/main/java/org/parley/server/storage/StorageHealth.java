package org.parley.server.storage;

import java.io.IOException;
import java.sql.SQLException;
import java.util.function.Predicate;

/**
 * Whether the store can write: a write that failed because the disk (or the database's quota) is
 * full marks it full, and the next write that commits marks it well again. GET /v1/health answers
 * from it, so an operator's monitoring sees a full disk without waiting for a user to complain; the
 * key-transparency heartbeat writes at least every heartbeat, so a disk that has room again is
 * noticed within one even when nobody sends.
 */
public final class StorageHealth {
  private volatile boolean full;

  public boolean full() {
    return full;
  }

  /** Records the outcome of a failed write; true if it failed for lack of space. */
  public boolean failed(Throwable failure, Predicate<SQLException> storageFull) {
    if (isFull(failure, storageFull)) {
      full = true;
      return true;
    }
    return false;
  }

  /** Records a committed write. */
  public void wrote() {
    if (full) {
      full = false;
    }
  }

  /**
   * Whether anything in the cause chain says the storage is full: the backend's own code, or an I/O
   * error with the operating system's ENOSPC message.
   */
  public static boolean isFull(Throwable failure, Predicate<SQLException> storageFull) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof StorageFullException) {
        return true;
      }
      if (t instanceof SQLException s && storageFull.test(s)) {
        return true;
      }
      if (t instanceof IOException && String.valueOf(t.getMessage()).contains("No space left")) {
        return true;
      }
    }
    return false;
  }
}
