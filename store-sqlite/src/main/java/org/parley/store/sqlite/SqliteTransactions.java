package org.parley.store.sqlite;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;
import org.parley.store.jdbc.SqlWork;
import org.parley.store.jdbc.StorageException;
import org.parley.store.jdbc.Transactions;

/**
 * SQLite allows one writer at a time: writes go to the single {@link SqliteWriter}, which
 * serializes and group-commits them. Reads use a pool of read-only connections, which WAL lets run
 * beside the writer without blocking it or being blocked.
 */
final class SqliteTransactions implements Transactions {
  private final SqliteWriter writer;
  private final HikariDataSource readers;

  SqliteTransactions(DataSource writeSource, DataSource readSource, String name, int readers) {
    try {
      this.writer = new SqliteWriter(writeSource, name + "-writer");
    } catch (SQLException e) {
      throw new StorageException("cannot open the SQLite database: " + e.getMessage(), e);
    }
    try {
      this.readers = readPool(readSource, name + "-read", readers);
    } catch (RuntimeException e) {
      writer.close();
      throw e;
    }
  }

  private static HikariDataSource readPool(DataSource source, String name, int size) {
    HikariConfig config = new HikariConfig();
    config.setDataSource(source);
    config.setPoolName(name);
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(1);
    config.setAutoCommit(true);
    config.setConnectionInitSql("PRAGMA query_only = ON");
    return new HikariDataSource(config);
  }

  @Override
  public <T> T read(SqlWork<T> work) {
    try (Connection c = readers.getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw new StorageException("SQLite read failed: " + e.getMessage(), e);
    }
  }

  @Override
  public <T> T write(SqlWork<T> work) {
    return writer.write(work);
  }

  @Override
  public <T> CompletableFuture<T> writeAsync(SqlWork<T> work) {
    return writer.writeAsync(work);
  }

  @Override
  public boolean hasWriterThread() {
    return true;
  }

  @Override
  public void close() {
    try {
      readers.close();
    } finally {
      writer.close();
    }
  }
}
