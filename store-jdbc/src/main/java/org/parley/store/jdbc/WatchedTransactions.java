package org.parley.store.jdbc;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
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
  public <T> CompletableFuture<T> writeAsync(SqlWork<T> work) {
    return backend
        .writeAsync(work)
        .handle(
            (result, failure) -> {
              if (failure == null) {
                health.wrote();
                return CompletableFuture.completedFuture(result);
              }
              Throwable cause =
                  failure instanceof CompletionException && failure.getCause() != null
                      ? failure.getCause()
                      : failure;
              if (cause instanceof RuntimeException e
                  && health.failed(e, dialect::isStorageFull)
                  && !(e instanceof StorageFullException)) {
                cause = new StorageFullException("the storage is full: " + e.getMessage(), e);
              }
              return CompletableFuture.<T>failedFuture(cause);
            })
        .thenCompose(f -> f);
  }

  @Override
  public boolean hasWriterThread() {
    return backend.hasWriterThread();
  }

  @Override
  public void close() {
    backend.close();
  }
}
