package org.parley.store.sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.parley.server.storage.PrivateFiles;
import org.parley.server.storage.Store;
import org.parley.server.storage.StoreProvider;
import org.parley.store.jdbc.Dialect;
import org.parley.store.jdbc.Durability;
import org.parley.store.jdbc.JdbcStore;
import org.parley.store.jdbc.StorageException;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/** The embedded store: one SQLite file, {@code store: sqlite} with setting {@code path}. */
public final class SqliteStoreProvider implements StoreProvider {
  /** Readers beside the single writer; the machines this targets have few cores. */
  private static final int READERS = 4;

  private static final int BUSY_TIMEOUT_MILLIS = 10_000;
  private static final int SQLITE_FULL = 13;

  /** The migration from which every connection runs with secure_delete (V4__secure_delete). */
  private static final int SECURE_DELETE_SINCE = 4;

  private static final Dialect DIALECT =
      new Dialect(
          false,
          false,
          e ->
              e instanceof SQLiteException s
                  && (s.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE
                      || s.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY),
          // SQLITE_FULL (13), also as the primary code of an extended one; SQLite reports ENOSPC
          // and a reached max_page_count as it
          e -> e instanceof SQLiteException s && (s.getResultCode().code & 0xff) == SQLITE_FULL);

  @Override
  public String name() {
    return "sqlite";
  }

  @Override
  public Store open(Map<String, String> settings) {
    String path = settings.get("path");
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException("the sqlite store needs the setting 'path'");
    }
    Path file = Path.of(path).toAbsolutePath();
    boolean powerLoss = Durability.powerLoss(settings, "sqlite");
    // SQLite gives the -wal and -shm files the database file's mode: an owner-only database
    // keeps all three owner-only (docs/security.md, "What the server keeps")
    PrivateFiles.directory(file.getParent());
    PrivateFiles.file(file);
    PrivateFiles.ifExists(Path.of(file + "-wal"));
    PrivateFiles.ifExists(Path.of(file + "-shm"));
    SQLiteDataSource source = dataSource(file, powerLoss);
    MigrateResult migrated =
        Flyway.configure()
            .dataSource(source)
            .locations("classpath:db/migration/sqlite")
            .failOnMissingLocations(true)
            .load()
            .migrate();
    if (migrated.initialSchemaVersion != null
        && Integer.parseInt(migrated.initialSchemaVersion) < SECURE_DELETE_SINCE) {
      vacuum(source, file);
    }
    return new JdbcStore(
        new SqliteTransactions(
            source, dataSource(file, powerLoss), "sqlite:" + file.getFileName(), READERS),
        DIALECT);
  }

  /**
   * Pages freed before secure_delete was on may still hold deleted envelopes: a database that
   * predates it is rewritten once (VACUUM), and its WAL emptied.
   */
  private static void vacuum(SQLiteDataSource source, Path file) {
    try (Connection c = source.getConnection();
        Statement s = c.createStatement()) {
      s.execute("VACUUM");
      s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
    } catch (SQLException e) {
      throw new StorageException(
          "cannot rewrite " + file + " without its deleted rows: " + e.getMessage(), e);
    }
  }

  static SQLiteDataSource dataSource(Path file, boolean powerLoss) {
    SQLiteConfig config = new SQLiteConfig();
    // Durability: in WAL mode with synchronous=NORMAL a commit has been written to the WAL file
    // (the operating system's page cache) when COMMIT returns, so everything the server
    // acknowledged survives the process being killed (SIGKILL, OOM kill, crash). Only an
    // operating-system crash or power loss can lose the last commits (never corrupt the file),
    // because NORMAL syncs at checkpoints, not at every commit; FULL would fsync every commit and
    // cost an fsync per group commit. durability=power-loss (the server's --durability) switches
    // to FULL for deployments that must survive power loss without replication.
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(
        powerLoss ? SQLiteConfig.SynchronousMode.FULL : SQLiteConfig.SynchronousMode.NORMAL);
    config.setBusyTimeout(BUSY_TIMEOUT_MILLIS); // another process (a backup, the CLI) may hold it
    config.enforceForeignKeys(true);
    // What is deleted is overwritten with zeros, in the database file and in the WAL frames that
    // carry the change; SqliteWriter empties the WAL soon after (checkpoint TRUNCATE).
    config.setPragma(SQLiteConfig.Pragma.SECURE_DELETE, "true");
    SQLiteDataSource source = new SQLiteDataSource(config);
    source.setUrl("jdbc:sqlite:" + file);
    return source;
  }
}
