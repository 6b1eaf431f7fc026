package org.parley.client.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.parley.client.ClientException;
import org.parley.client.Passphrase;
import org.parley.client.PassphraseException;
import org.parley.client.store.ProfileKeys.StoredKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteUpdateListener;

/**
 * The one SQLite file that holds a device's local state. One connection, guarded by one lock: every
 * store over the file ({@link SqliteProtocolState}, {@link MessageHistory}, {@link
 * DeviceRecordStore}, {@link ContactStore}) goes through {@link #inTransaction} or {@link #read}.
 * Transactions nest with savepoints, so the client can put a decrypt (which opens its own
 * transaction inside the crypto module) and the history write of its result in one commit.
 *
 * <p>Secrets at rest (docs/security.md): every connection runs with {@code secure_delete}, so freed
 * content is zeroed; after a transaction that changed a secret table the WAL is checkpointed and
 * truncated, so consumed prekeys and old chain keys do not linger in it; the files' modes are
 * checked on every open ({@link ProfileFiles}); and a profile with a passphrase seals its {@link
 * Secret} values under the profile key ({@link SecretCodec}).
 */
public final class DeviceDatabase implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DeviceDatabase.class);

  /**
   * The migrations, in order, each named {@code V<n>__...}; the file's {@code PRAGMA user_version}
   * is the number of the last one applied.
   */
  private static final String[] MIGRATIONS = {
    "V1__device.sql",
    "V2__key_transparency.sql",
    "V3__proven_trust.sql",
    "V4__profile_key.sql",
    "V5__key_rotation.sql",
    "V6__device_notices.sql",
    "V7__outbox.sql",
    "V8__link_serial.sql",
    "V9__withheld_devices.sql",
    "V10__sender_keys.sql",
    "V11__groups.sql",
    "V12__group_last_change.sql",
    "V13__sealed_sender.sql",
    "V14__conversation_features.sql",
    "V15__chat_events.sql",
    "V16__group_counters.sql"
  };

  /** The migration that turned secure_delete on: free pages written before it are vacuumed. */
  private static final int SECURE_DELETE_SINCE = 4;

  private final Path file;
  private final Connection connection;
  private final ReentrantLock lock = new ReentrantLock();
  private final AtomicBoolean checkpointScheduled = new AtomicBoolean();
  private int depth;
  private boolean secretsChanged;

  /** A checkpoint failed or was busy: the next commit schedules another, even a rolled-back one. */
  private boolean checkpointOwed;

  private boolean closed;

  /** True on a thread inside {@link #deferringSync}. */
  private final ThreadLocal<Boolean> deferring = ThreadLocal.withInitial(() -> false);

  private volatile SecretCodec secrets = SecretCodec.clear();
  private byte[] keyId;
  private long dataVersion = -1;

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

  /** Opens (creating if needed) a state file that has no passphrase. */
  public static DeviceDatabase open(Path file) {
    return open(file, Optional.empty());
  }

  /**
   * Opens (creating if needed, owner-only) the state file and applies pending migrations. A
   * passphrase opens an encrypted file, or encrypts a new one; it is refused for an existing file
   * that has none (set one with {@link #setPassphrase}).
   *
   * @throws PassphraseException if the file is encrypted and no passphrase or a wrong one is given
   * @throws ClientException if the file cannot be opened, its modes cannot be made owner-only, it
   *     belongs to another user, or it was written by a newer Parley
   */
  public static DeviceDatabase open(Path file, Optional<Passphrase> passphrase) {
    Objects.requireNonNull(passphrase, "passphrase");
    ProfileFiles.prepare(file);
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    config.enforceForeignKeys(true);
    config.setBusyTimeout(15_000);
    // temporary tables and statement journals never reach a file of their own
    config.setTempStore(SQLiteConfig.TempStore.MEMORY);
    // Another process (a running `parley listen`) may share the file: take the write lock at
    // BEGIN so a transaction never fails half-way when it upgrades from reading to writing.
    config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    Connection connection;
    try {
      connection = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
    } catch (SQLException e) {
      throw new ClientException(
          "cannot open the local state file " + file + ": " + e.getMessage(), e);
    }
    DeviceDatabase db = new DeviceDatabase(file, connection);
    try {
      db.requireSecureDelete();
      db.watchSecretTables();
      db.migrate();
      ProfileFiles.recheck(file);
      db.checkpoint(); // a process killed before its checkpoint may have left secrets in the WAL
      db.unlock(passphrase);
      return db;
    } catch (SQLException e) {
      db.closeQuietly();
      throw new ClientException(
          "cannot open the local state file " + file + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      db.closeQuietly();
      throw e;
    }
  }

  /** Where the file is. */
  public Path file() {
    return file;
  }

  /** The number of the last migration applied. */
  public int schemaVersion() {
    return read(DeviceDatabase::userVersion);
  }

  /** True if the file's secrets are sealed under a passphrase. */
  public boolean encrypted() {
    return secrets.encrypted();
  }

  /** How the stores seal and open {@link Secret} values in this file. */
  SecretCodec secrets() {
    return secrets;
  }

  private void requireSecureDelete() throws SQLException {
    try (Statement st = connection.createStatement()) {
      st.execute("PRAGMA secure_delete = ON");
    }
    if (pragmaLong("PRAGMA secure_delete") != 1) {
      throw new ClientException(
          "this SQLite build ignores secure_delete, so deleted keys would stay in " + file);
    }
  }

  /**
   * Marks the open transaction when it writes a table that holds secrets, so that its commit is
   * followed by a checkpoint. Inserts count too: INSERT OR REPLACE deletes the replaced row (an old
   * session, a prekey) without telling the update hook. New history rows are the exception: they
   * replace nothing.
   */
  private void watchSecretTables() throws SQLException {
    SQLiteUpdateListener listener =
        (type, database, table, rowId) -> {
          if (Secret.isSecretTable(table)
              && !(type == SQLiteUpdateListener.Type.INSERT && table.equals("message"))) {
            secretsChanged = true;
          }
        };
    connection.unwrap(SQLiteConnection.class).addUpdateListener(listener);
  }

  private void migrate() throws SQLException {
    int current = userVersion(connection);
    int latest = version(MIGRATIONS[MIGRATIONS.length - 1]);
    if (current > latest) {
      throw new ClientException(
          "the local state file "
              + file
              + " was written by a newer Parley (schema "
              + current
              + "); upgrade Parley to use it");
    }
    for (String name : MIGRATIONS) {
      int target = version(name);
      if (target <= current) {
        continue;
      }
      String script = resource(name);
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
    if (current > 0 && current < SECURE_DELETE_SINCE) {
      // pages freed before secure_delete was on may still hold deleted keys: rewrite the file once
      vacuum();
    }
  }

  private static int version(String migration) {
    return Integer.parseInt(migration.substring(1, migration.indexOf("__")));
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
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).replaceAll("(?m)^\\s*--.*$", "");
    } catch (IOException e) {
      throw new IllegalStateException("cannot read migration " + name, e);
    }
  }

  // ---- the passphrase

  private void unlock(Optional<Passphrase> passphrase) throws SQLException {
    Optional<StoredKey> stored = ProfileKeys.load(connection);
    if (stored.isPresent()) {
      Passphrase given =
          passphrase.orElseThrow(
              () ->
                  new PassphraseException(
                      PassphraseException.Problem.REQUIRED,
                      "this profile is encrypted: its passphrase is needed to open it"));
      secrets = SecretCodec.sealedUnder(ProfileCipher.unwrap(stored.get().wrapped(), given));
      keyId = stored.get().keyId();
    } else if (passphrase.isPresent()) {
      if (!isEmpty()) {
        throw new PassphraseException(
            PassphraseException.Problem.NOT_ENCRYPTED,
            "a passphrase was given, but this profile has none. Open it without one, or encrypt"
                + " it first (parley passphrase set)");
      }
      setPassphrase(passphrase.get()); // a new profile is encrypted from its first key on
    }
    dataVersion = pragmaLong("PRAGMA data_version");
  }

  private boolean isEmpty() throws SQLException {
    return pragmaLong(
            "SELECT (SELECT COUNT(*) FROM local_identity) + (SELECT COUNT(*) FROM device)")
        == 0;
  }

  /**
   * Encrypts the file under {@code passphrase}, or re-encrypts it under a new profile key if it
   * already has one: every secret value is resealed in one transaction, then the file is vacuumed
   * and the WAL truncated so no copy under the old key (or in the clear) stays behind.
   */
  public void setPassphrase(Passphrase passphrase) {
    Objects.requireNonNull(passphrase, "passphrase");
    ProfileCipher cipher = ProfileCipher.generate();
    ProfileCipher.WrappedKey wrapped = cipher.wrap(passphrase, ProfileCipher.DEFAULT_KDF);
    reprotect(SecretCodec.sealedUnder(cipher), c -> ProfileKeys.store(c, wrapped));
  }

  /** Decrypts the file: every secret value is stored in the clear again, in one transaction. */
  public void removePassphrase() {
    reprotect(
        SecretCodec.clear(),
        c -> {
          ProfileKeys.delete(c);
          return null;
        });
  }

  private void reprotect(SecretCodec next, SqlWork<byte[]> storeKey) {
    lock.lock();
    try {
      requireOpen();
      if (depth != 0) {
        throw new IllegalStateException("a passphrase is set outside any transaction (it vacuums)");
      }
      SecretCodec previous = secrets;
      byte[] newKeyId =
          inTransaction(
              () ->
                  read(
                      c -> {
                        ProfileKeys.reseal(c, previous, next);
                        return storeKey.run(c);
                      }));
      secrets = next;
      keyId = newKeyId;
      previous.cipher().ifPresent(ProfileCipher::destroy);
      vacuum();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stops if another process re-keyed the file since this one read its key: writing values under a
   * key that is gone (or in the clear into an encrypted file) would make them unreadable. {@code
   * data_version} changes only when another connection commits, so the usual cost is one pragma
   * that reads shared memory.
   */
  private void checkKeyUnchanged() {
    try {
      checkKeyUnchangedOrThrow();
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  private void checkKeyUnchangedOrThrow() throws SQLException {
    long version = pragmaLong("PRAGMA data_version");
    if (version == dataVersion || dataVersion == -1) {
      return;
    }
    if (!Arrays.equals(ProfileKeys.keyId(connection), keyId)) {
      // dataVersion stays behind, so every later call fails the same way
      throw new ClientException(
          "another Parley process set, changed or removed this profile's passphrase. Start this"
              + " one again to use the profile");
    }
    dataVersion = version;
  }

  // ---- transactions

  /**
   * Runs work atomically: commits if it returns, rolls back its writes if it throws. Nested calls
   * (on the same thread) are savepoints: an inner failure undoes only the inner writes. Inside
   * {@link #deferringSync} on this thread, the commit does not wait for the disk.
   */
  public <T, E extends Exception> T inTransaction(Work<T, E> work) throws E {
    lock.lock();
    try {
      return depth == 0 && deferring.get() ? unsynced(work) : transaction(work);
    } finally {
      lock.unlock();
    }
  }

  /**
   * {@link #inTransaction}, committed without waiting for the disk ({@code synchronous=NORMAL} for
   * this commit alone): the commit is in the WAL, so a process killed after it keeps it, and the
   * next fully synchronous commit (or checkpoint) makes it durable with its own, since fsync of the
   * WAL flushes every frame before its own. A power loss before that may undo it (the file stays
   * consistent, the transaction is simply not there). Only for writes that either are followed by a
   * synchronous commit before anything they describe leaves the device (the text of a send, stored
   * before its encryption commits), or that a lost copy makes happen again and harmlessly (a sent
   * text leaving the outbox: it would be sent again, and dropped as a repeat by its message id).
   * Nested in a transaction, it is a savepoint and the outer commit decides.
   */
  public <T, E extends Exception> T inTransactionUnsynced(Work<T, E> work) throws E {
    lock.lock();
    try {
      return depth > 0 ? transaction(work) : unsynced(work);
    } finally {
      lock.unlock();
    }
  }

  /**
   * {@link #inTransaction}, committed with a wait for the disk even inside {@link #deferringSync}:
   * for what must survive a power loss on its own (an alarm, the session steps of ciphertexts about
   * to leave).
   */
  public <T, E extends Exception> T inTransactionDurable(Work<T, E> work) throws E {
    boolean outer = deferring.get();
    deferring.set(false);
    try {
      return inTransaction(work);
    } finally {
      deferring.set(outer);
    }
  }

  /**
   * Runs {@code work} (which makes network requests and commits of its own) with every top-level
   * commit it makes on this thread unsynced, as {@link #inTransactionUnsynced}, but those it makes
   * through {@link #inTransactionDurable}. For work whose commits are followed by a synchronous one
   * before anything they describe leaves the device, or that describe only what a repeat of the
   * work would find again: proving a contact's keys on the way to a send (docs/architecture.md,
   * "One fsync per send"). Other threads' commits are not affected.
   */
  public <T, E extends Exception> T deferringSync(Work<T, E> work) throws E {
    boolean outer = deferring.get();
    deferring.set(true);
    try {
      return work.run();
    } finally {
      deferring.set(outer);
    }
  }

  /** Called with the lock held and no transaction open. */
  private <T, E extends Exception> T unsynced(Work<T, E> work) throws E {
    requireOpen();
    synchronous("NORMAL");
    try {
      return transaction(work);
    } finally {
      synchronous("FULL");
    }
  }

  /** Called with the lock held. */
  private <T, E extends Exception> T transaction(Work<T, E> work) throws E {
    requireOpen();
    String savepoint = depth == 0 ? null : "sp" + depth;
    begin(savepoint);
    depth++;
    boolean ok = false;
    try {
      if (savepoint == null) {
        checkKeyUnchanged(); // under the write lock that BEGIN IMMEDIATE took
      }
      T result = work.run();
      ok = true;
      return result;
    } finally {
      depth--;
      end(savepoint, ok);
    }
  }

  private void synchronous(String mode) {
    try (Statement st = connection.createStatement()) {
      st.execute("PRAGMA synchronous = " + mode);
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  /** Runs SQL with the connection: inside the caller's transaction if one is open. */
  public <T> T read(SqlWork<T> work) {
    lock.lock();
    try {
      requireOpen();
      if (depth > 0) {
        return work.run(connection);
      }
      checkKeyUnchanged();
      T result = work.run(connection);
      if (secretsChanged || checkpointOwed) { // a write in autocommit mode, or a retry
        secretsChanged = false;
        checkpointOwed = false;
        scheduleCheckpoint();
      }
      return result;
    } catch (SQLException e) {
      throw failure(e);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Same as {@link #read}, for statements that write: outside a transaction it opens one, so the
   * key check and the write see the same state of the file.
   */
  public <T> T write(SqlWork<T> work) {
    lock.lock();
    try {
      return depth == 0 ? inTransaction(() -> read(work)) : read(work);
    } finally {
      lock.unlock();
    }
  }

  private void requireOpen() {
    if (closed) {
      throw new ClientException("the local state file " + file + " is closed");
    }
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
        if ((commit && secretsChanged) || checkpointOwed) {
          checkpointOwed = false;
          scheduleCheckpoint();
        }
        secretsChanged = false;
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

  // ---- checkpoints

  /*
   * Why a checkpoint after the commit, and why on another thread. In WAL mode a page's old
   * versions stay in the -wal file, and the main file keeps the page as it was, until a
   * checkpoint copies the new versions over and TRUNCATE empties the WAL; only then is a consumed
   * prekey or a replaced session (its old chain keys) gone from both files. Measured on the
   * development VM (3 KB session replaced, synchronous=FULL): 0.55 ms per commit alone, 1.0 ms
   * with a TRUNCATE checkpoint after each; on a laptop's SSD each of the checkpoint's fsyncs costs
   * milliseconds. Every received message replaces a session, so a checkpoint in the caller's
   * commit would roughly double the cost of storing it. Instead the commit only schedules one: a
   * virtual thread runs it as soon as the connection's lock is free (a burst of messages shares
   * one, and a receive loop waiting on the network leaves the lock free at once). The window in
   * which the old keys are in the files is the rest of the burst; close() and the next open
   * checkpoint too, so a killed process leaves them at most until the profile is opened again.
   *
   * Issue 9: the checkpoint waits CHECKPOINT_DELAY after the first commit it is owed for (later
   * commits do not push it back), so the commits of that time share it. Run as soon as the lock
   * was free, it ran in every send's wait for the server's answer and still held the lock when the
   * answer came: in a JFR profile of 400 sends over the socket on a loaded 2-core machine, the
   * sending thread waited 4.3 ms per send for this lock against 3.3 ms for the server's answer
   * (docs/architecture.md, "One fsync per send"). So old keys stay in the files at most that much
   * longer while the profile is busy.
   */
  static final Duration CHECKPOINT_DELAY = Duration.ofMillis(100);

  private void scheduleCheckpoint() {
    if (checkpointScheduled.compareAndSet(false, true)) {
      Thread.ofVirtual()
          .name("parley-checkpoint")
          .start(
              () -> {
                try {
                  Thread.sleep(CHECKPOINT_DELAY);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt(); // checkpoint now, then stop
                }
                checkpointWhenFree();
              });
    }
  }

  private void checkpointWhenFree() {
    lock.lock();
    try {
      checkpointScheduled.set(false);
      if (!closed) {
        checkpoint();
      }
    } catch (SQLException | RuntimeException e) {
      log.warn("could not checkpoint {}: {}", file, e.getMessage());
      checkpointOwed = true; // the next commit, or close, tries again
    } finally {
      lock.unlock();
    }
  }

  /** Copies the WAL into the file and truncates it; false if a reader elsewhere kept it busy. */
  private boolean checkpoint() throws SQLException {
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
      boolean done = rs.next() && rs.getInt(1) == 0;
      if (!done) {
        log.debug("checkpoint of {} is busy: another process is reading it", file);
        checkpointOwed = true;
      }
      return done;
    }
  }

  private void vacuum() {
    try (Statement st = connection.createStatement()) {
      st.execute("VACUUM");
      checkpoint();
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  private long pragmaLong(String sql) throws SQLException {
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  private ClientException failure(SQLException e) {
    return new ClientException("the local state file " + file + " failed: " + e.getMessage(), e);
  }

  /** Checkpoints (so the WAL holds no old secrets), then closes the file and forgets the key. */
  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      try {
        checkpoint();
      } catch (SQLException e) {
        log.warn("could not checkpoint {} on close: {}", file, e.getMessage());
      }
      connection.close();
    } catch (SQLException e) {
      throw failure(e);
    } finally {
      secrets.cipher().ifPresent(ProfileCipher::destroy);
      lock.unlock();
    }
  }

  private void closeQuietly() {
    try {
      close();
    } catch (RuntimeException e) {
      log.debug("closing {} after a failed open: {}", file, e.getMessage());
    }
  }
}
