package org.parley.store.jdbc;

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

  @Override
  void close();
}
