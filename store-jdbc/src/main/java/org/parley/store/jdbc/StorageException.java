package org.parley.store.jdbc;

/** The database failed (I/O, lock timeout, broken connection): nothing the caller did wrong. */
public final class StorageException extends RuntimeException {
  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
