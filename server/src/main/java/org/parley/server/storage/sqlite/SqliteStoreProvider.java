package org.parley.server.storage.sqlite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.parley.server.storage.Store;
import org.parley.server.storage.StoreProvider;
import org.parley.server.storage.jdbc.Dialect;
import org.parley.server.storage.jdbc.JdbcStore;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/** The embedded store: one SQLite file, {@code store: sqlite} with setting {@code path}. */
public final class SqliteStoreProvider implements StoreProvider {
  /** Readers beside the single writer; the machines this targets have few cores. */
  private static final int READERS = 4;

  private static final int BUSY_TIMEOUT_MILLIS = 10_000;

  private static final Dialect DIALECT =
      new Dialect(
          false,
          e ->
              e instanceof SQLiteException s
                  && (s.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE
                      || s.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY));

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
    try {
      Files.createDirectories(file.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the directory of " + file, e);
    }
    SQLiteDataSource source = dataSource(file);
    Flyway.configure()
        .dataSource(source)
        .locations("classpath:db/migration/sqlite")
        .failOnMissingLocations(true)
        .load()
        .migrate();
    return new JdbcStore(
        new SqliteTransactions(source, dataSource(file), "sqlite:" + file.getFileName(), READERS),
        DIALECT);
  }

  private static SQLiteDataSource dataSource(Path file) {
    SQLiteConfig config = new SQLiteConfig();
    // Durability: in WAL mode with synchronous=NORMAL a commit has been written to the WAL file
    // (the operating system's page cache) when COMMIT returns, so everything the server
    // acknowledged survives the process being killed (SIGKILL, OOM kill, crash). Only an
    // operating-system crash or power loss can lose the last commits (never corrupt the file),
    // because NORMAL syncs at checkpoints, not at every commit; FULL would fsync every commit and
    // cut write throughput several-fold. Deployments that must survive power loss without
    // replication would switch to FULL.
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
    config.setBusyTimeout(BUSY_TIMEOUT_MILLIS); // another process (a backup, the CLI) may hold it
    config.enforceForeignKeys(true);
    SQLiteDataSource source = new SQLiteDataSource(config);
    source.setUrl("jdbc:sqlite:" + file);
    return source;
  }
}
