package org.parley.store.jdbc;

import org.parley.server.storage.StorageFullException;
import org.parley.server.storage.StorageHealth;

/**
 * The backend's transactions, with every write's outcome reported to the store's {@link
 * StorageHealth}; a write that failed for lack of space is rethrown as a {@link
 * StorageFullException}, whatever the backend's exception was.
 */
final class WatchedTransactions implements Transactions {
  private final Transactions backend;
  private final Dialect dialect;
  private final StorageHealth health;

  WatchedTransactions(Transactions backend, Dialect dialect, StorageHealth health) {
    this.backend = backend;
    this.dialect = dialect;
    this.health = health;
  }

  @Override
  public <T> T read(SqlWork<T> work) {
    return backend.read(work);
  }

  @Override
  public <T> T write(SqlWork<T> work) {
    T result;
    try {
      result = backend.write(work);
    } catch (RuntimeException e) {
      if (health.failed(e, dialect::isStorageFull) && !(e instanceof StorageFullException)) {
        throw new StorageFullException("the storage is full: " + e.getMessage(), e);
      }
      throw e;
    }
    health.wrote();
    return result;
  }

  @Override
  public void close() {
    backend.close();
  }
}
