package org.parley.server.storage;

/**
 * A write failed because the storage is full (SQLite SQLITE_FULL, PostgreSQL 53100 disk_full,
 * ENOSPC): nothing of it was kept, and the same request can succeed once there is room again.
 * Answered as {@code 503 storage_full} with a {@code Retry-After} (docs/spec/errors.md).
 */
public final class StorageFullException extends RuntimeException {
  public StorageFullException(String message, Throwable cause) {
    super(message, cause);
  }
}
