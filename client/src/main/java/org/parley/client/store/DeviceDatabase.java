package org.parley.client.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.locks.ReentrantLock;
import org.parley.client.ClientException;
import org.sqlite.SQLiteConfig;

/**
 * The one SQLite file that holds a device's local state. One connection, guarded by one lock:
 * every store over the file ({@link SqliteProtocolState}, {@link MessageHistory}, {@link
 * DeviceRecordStore}, {@link ContactStore}) goes through {@link #inTransaction} or {@link #read}.
 * Transactions nest with savepoints, so the client can put a decrypt (which opens its own
 * transaction inside the crypto module) and the history write of its result in one commit.
 */
public final class DeviceDatabase implements AutoCloseable {
  /** The migrations, in order; the file's {@code PRAGMA user_version} counts those applied. */
  private static final String[] MIGRATIONS = {"V1__device.sql", "V2__key_transparency.sql", "V3__proven_trust.sql"};

  private final Path file;
  private final Connection connection;
  private final ReentrantLock lock = new ReentrantLock();
  private int depth;

  /** Work run with the connection, inside a transaction or not. */
  @FunctionalInterface
  public interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
  }

  /** Work run inside {@link #inTransaction}. */
  @FunctionalInterface
  public interface Work<T, E extends Exception> {
    T run() throws E;
  }

  private DeviceDatabase(Path file, Connection connection) {
    this.file = file;
    this.connection = connection;
  }

  /**
   * Opens (creating if needed, owner-only) the state file and applies pending migrations.
   *
   * @throws ClientException if the file cannot be opened or was written by a newer Parley
   */
  public static DeviceDatabase open(Path file) {
    try {
      Path dir = file.toAbsolutePath().getParent();
      boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
      if (!Files.isDirectory(dir)) {
        if (posix) {
          Files.createDirectories(
              dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
          Files.createDirectories(dir);
        }
      }
      if (!Files.exists(file)) {
        // the file holds private keys: create it owner-only before SQLite writes anything
        if (posix) {
          Files.createFile(
              file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
          Files.createFile(file);
        }
      }
    } catch (IOException e) {
      throw new ClientException("cannot create the local state file " + file + ": " + e.getMessage(), e);
    }
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    config.enforceForeignKeys(true);
    config.setBusyTimeout(15_000);
    // Another process (a running `parley listen`) may share the file: take the write lock at
    // BEGIN so a transaction never fails half-way when it upgrades from reading to writing.
    config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    try {
      Connection connection = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
      DeviceDatabase db = new DeviceDatabase(file, connection);
      db.migrate();
      return db;
    } catch (SQLException e) {
      throw new ClientException("cannot open the local state file " + file + ": " + e.getMessage(), e);
    }
  }

  /** Where the file is. */
  public Path file() {
    return file;
  }

  /** The number of migrations applied. */
  public int schemaVersion() {
    return read(DeviceDatabase::userVersion);
  }

  private void migrate() throws SQLException {
    int current = userVersion(connection);
    if (current > MIGRATIONS.length) {
      throw new ClientException(
          "the local state file "
              + file
              + " was written by a newer Parley (schema "
              + current
              + "); upgrade Parley to use it");
    }
    for (int version = current + 1; version <= MIGRATIONS.length; version++) {
      String script = resource(MIGRATIONS[version - 1]);
      int target = version;
      inTransaction(
          () -> {
            try (Statement st = connection.createStatement()) {
              for (String sql : script.split(";\\s*(\\n|$)")) {
                if (!sql.isBlank()) {
                  st.execute(sql);
                }
              }
              st.execute("PRAGMA user_version = " + target);
            }
            return null;
          });
    }
  }

  private static int userVersion(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        var rs = st.executeQuery("PRAGMA user_version")) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }

  private static String resource(String name) {
    try (InputStream in = DeviceDatabase.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing migration " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .replaceAll("(?m)^\\s*--.*$", "");
    } catch (IOException e) {
      throw new IllegalStateException("cannot read migration " + name, e);
    }
  }

  /**
   * Runs work atomically: commits if it returns, rolls back its writes if it throws. Nested calls
   * (on the same thread) are savepoints: an inner failure undoes only the inner writes.
   */
  public <T, E extends Exception> T inTransaction(Work<T, E> work) throws E {
    lock.lock();
    try {
      String savepoint = depth == 0 ? null : "sp" + depth;
      begin(savepoint);
      depth++;
      boolean ok = false;
      try {
        T result = work.run();
        ok = true;
        return result;
      } finally {
        depth--;
        end(savepoint, ok);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Runs SQL with the connection: inside the caller's transaction if one is open. */
  public <T> T read(SqlWork<T> work) {
    lock.lock();
    try {
      return work.run(connection);
    } catch (SQLException e) {
      throw failure(e);
    } finally {
      lock.unlock();
    }
  }

  /** Same as {@link #read}, named for statements that write. */
  public <T> T write(SqlWork<T> work) {
    return read(work);
  }

  private void begin(String savepoint) {
    try {
      if (savepoint == null) {
        connection.setAutoCommit(false);
      } else {
        try (Statement st = connection.createStatement()) {
          st.execute("SAVEPOINT " + savepoint);
        }
      }
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  private void end(String savepoint, boolean commit) {
    try (Statement st = connection.createStatement()) {
      if (savepoint == null) {
        try {
          if (commit) {
            connection.commit();
          } else {
            connection.rollback();
          }
        } finally {
          connection.setAutoCommit(true);
        }
      } else {
        if (!commit) {
          st.execute("ROLLBACK TO " + savepoint);
        }
        st.execute("RELEASE " + savepoint);
      }
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  private ClientException failure(SQLException e) {
    return new ClientException("the local state file " + file + " failed: " + e.getMessage(), e);
  }

  @Override
  public void close() {
    lock.lock();
    try {
      connection.close();
    } catch (SQLException e) {
      throw failure(e);
    } finally {
      lock.unlock();
    }
  }
}
