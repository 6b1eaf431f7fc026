package org.parley.store.jdbc;

import java.util.concurrent.CompletableFuture;

/**
 * How a backend runs transactions: the one place where SQLite (a single serialized writer) and
 * PostgreSQL (row locks, many writers) differ in more than a clause.
 */
public interface Transactions extends AutoCloseable {
  /**
   * Runs read-only work. Each statement sees every transaction committed before it, never a partial
   * one.
   */
  <T> T read(SqlWork<T> work);

  /**
   * Runs work in one read-write transaction and commits it before returning. If the work throws,
   * the transaction is rolled back and the exception rethrown ({@link java.sql.SQLException}s
   * wrapped in {@link StorageException}).
   */
  <T> T write(SqlWork<T> work);

  /**
   * Runs work in a write transaction like {@link #write}, answering through a future that completes
   * after the commit instead of waiting. A backend with a writer thread of its own runs the work
   * there and completes the future on it; the default runs it on the calling thread.
   */
  default <T> CompletableFuture<T> writeAsync(SqlWork<T> work) {
    try {
      return CompletableFuture.completedFuture(write(work));
    } catch (RuntimeException | Error e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Whether {@link #writeAsync} hands the work to one writer thread of the backend's (SQLite): then
   * work that batches writes runs best there, not on a thread of its own.
   */
  default boolean hasWriterThread() {
    return false;
  }

  @Override
  void close();
}
