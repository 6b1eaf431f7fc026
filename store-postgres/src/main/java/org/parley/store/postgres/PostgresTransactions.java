package org.parley.store.postgres;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import org.parley.store.jdbc.SqlWork;
import org.parley.store.jdbc.StorageException;
import org.parley.store.jdbc.Transactions;

/**
 * PostgreSQL transactions at READ COMMITTED, the server's default: each step takes the row locks it
 * needs (see {@link org.parley.store.jdbc.Dialect}) in one fixed order (link, account, devices by
 * id), so concurrent writers serialize where they touch the same rows and pass each other
 * everywhere else, without deadlocks or serialization failures to retry.
 */
final class PostgresTransactions implements Transactions {
  private final HikariDataSource pool;
  private final QueueVacuum vacuum; // null where autovacuum runs

  PostgresTransactions(HikariDataSource pool, QueueVacuum vacuum) {
    this.pool = pool;
    this.vacuum = vacuum;
  }

  @Override
  public <T> T read(SqlWork<T> work) {
    return run(work, "read");
  }

  @Override
  public <T> T write(SqlWork<T> work) {
    return run(work, "write");
  }

  private <T> T run(SqlWork<T> work, String kind) {
    try (Connection c =
        pool.getConnection()) { // the pool hands out connections with autocommit off
      T result;
      try {
        result = work.run(c);
      } catch (SQLException | RuntimeException e) {
        try {
          c.rollback();
        } catch (SQLException rollback) {
          e.addSuppressed(rollback);
        }
        throw e;
      }
      c.commit();
      return result;
    } catch (SQLException e) {
      throw new StorageException("PostgreSQL " + kind + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    if (vacuum != null) {
      vacuum.close();
    }
    pool.close();
  }
}
