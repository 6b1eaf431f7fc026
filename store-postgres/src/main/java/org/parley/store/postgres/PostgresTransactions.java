package org.parley.store.postgres;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
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
  private static final long ONE_STATEMENT_CONNECTION_NANOS = 5L * 60 * 1_000_000_000;

  private final QueueVacuum vacuum; // null where autovacuum runs
  private Connection oneStatement; // guarded by this
  private long oneStatementSince; // guarded by this

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

  /**
   * On a connection kept for these writes (the group commit's one statement, from the one batcher
   * thread), in autocommit and with {@code plan_cache_mode = force_generic_plan}: the statement's
   * plan is then made once per connection, not before every execution. PostgreSQL's default kept
   * re-planning it (its generic plan's estimate, made without the arrays' lengths, lost to the
   * custom plans'), and planning it cost more than running it (0.29 ms against 0.17 per batch). The
   * connection goes back to the pool every few minutes (and when it broke), so a plan made while
   * the tables were small does not outlive their growth by long; a vacuum of a table also makes
   * PostgreSQL plan its statements again.
   */
  @Override
  public synchronized <T> T writeOneStatement(SqlWork<T> work) {
    try {
      if (oneStatement != null
          && System.nanoTime() - oneStatementSince > ONE_STATEMENT_CONNECTION_NANOS) {
        dropOneStatement();
      }
      if (oneStatement == null) {
        Connection c = pool.getConnection();
        try (Statement s = c.createStatement()) {
          s.execute("SET plan_cache_mode = force_generic_plan");
          c.commit();
          c.setAutoCommit(true); // the driver only stops sending BEGIN: no round trip
        } catch (SQLException e) {
          c.close();
          throw e;
        }
        oneStatement = c;
        oneStatementSince = System.nanoTime();
      }
      return work.run(oneStatement);
    } catch (SQLException e) {
      dropOneStatement(); // if it broke; a new one costs a SET
      throw new StorageException("PostgreSQL write failed: " + e.getMessage(), e);
    }
  }

  private void dropOneStatement() {
    if (oneStatement == null) {
      return;
    }
    try (Connection c = oneStatement) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.execute("RESET plan_cache_mode"); // as the pool's other borrowers expect it
      }
      c.commit();
    } catch (SQLException e) {
      // a broken connection: the pool finds it broken and replaces it
    }
    oneStatement = null;
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
    synchronized (this) {
      dropOneStatement();
    }
    if (vacuum != null) {
      vacuum.close();
    }
    pool.close();
  }
}
