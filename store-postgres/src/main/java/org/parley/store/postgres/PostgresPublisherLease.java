package org.parley.store.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.parley.server.kt.LeaseLostException;
import org.parley.store.jdbc.FencedLease;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key-transparency publisher lease of the servers sharing one PostgreSQL schema: a session
 * advisory lock, held on a connection of its own (outside the pool, so that nothing else runs on it
 * or returns it). PostgreSQL releases the lock when that session ends, so the lease ends with its
 * holder: at once when the holder's process dies (its socket closes), and within the TCP keepalive
 * bound below when the holder or its network hangs. A holder notices a broken lease connection at
 * its next epoch; and every append checks, in its own transaction, that the lock is still held by
 * this lease's session ({@link #verify}), so a server whose lease ended cannot store an entry once
 * another can take the lease. (The one append in flight when the lease ends can still commit; the
 * store's unique log position then refuses whichever of it and the new holder's first entry comes
 * second, so the log stays one.)
 */
final class PostgresPublisherLease implements FencedLease {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresPublisherLease.class);

  /**
   * The first key of the advisory lock: Parley's publisher lease ("PRLY"); the second is the
   * schema's.
   */
  private static final int LOCK_CLASS = 0x50524c59;

  /** How long the server side waits before probing an idle lease connection, and how: ~11 s. */
  private static final String KEEPALIVES =
      "SET tcp_keepalives_idle = 5; SET tcp_keepalives_interval = 2; SET tcp_keepalives_count = 3";

  private final String url;
  private final Properties properties;
  private final int schemaKey;
  private Connection connection; // guarded by this
  private int backendPid; // guarded by this
  private boolean held; // guarded by this

  PostgresPublisherLease(String url, String user, String password, String schema) {
    this.url = url;
    this.properties = new Properties();
    properties.setProperty("user", user);
    if (password != null) {
      properties.setProperty("password", password);
    }
    properties.setProperty("currentSchema", schema);
    properties.setProperty("tcpKeepAlive", "true");
    properties.setProperty("ApplicationName", "parley-kt-publisher-lease");
    // positive, so that it compares plainly with pg_locks.objid (an oid)
    this.schemaKey = schema.hashCode() & 0x7fffffff;
  }

  @Override
  public synchronized boolean hold() {
    try {
      if (connection != null && !connection.isValid(2)) {
        if (held) {
          LOG.warn("the key-transparency publisher lease's connection broke: the lease is lost");
        }
        drop();
      }
      if (held) {
        return true;
      }
      if (connection == null) {
        connection = DriverManager.getConnection(url, properties);
        connection.setAutoCommit(true);
        try (Statement s = connection.createStatement()) {
          s.execute(KEEPALIVES);
        }
      }
      try (PreparedStatement s =
          connection.prepareStatement("SELECT pg_try_advisory_lock(?, ?), pg_backend_pid()")) {
        s.setInt(1, LOCK_CLASS);
        s.setInt(2, schemaKey);
        try (ResultSet r = s.executeQuery()) {
          r.next();
          held = r.getBoolean(1);
          backendPid = r.getInt(2);
        }
      }
      return held;
    } catch (SQLException e) {
      LOG.debug("cannot reach PostgreSQL for the publisher lease: {}", e.getMessage());
      drop();
      return false;
    }
  }

  /** Takes the lease if it is free (an append is publishing), else checks it is still ours. */
  @Override
  public void verify(Connection c) throws SQLException {
    if (!hold()) {
      throw new LeaseLostException("another server holds the publisher lease");
    }
    int pid;
    synchronized (this) {
      pid = backendPid;
    }
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND classid::bigint = ?"
                + " AND objid::bigint = ? AND objsubid = 2 AND pid = ? AND granted")) {
      s.setLong(1, LOCK_CLASS);
      s.setLong(2, schemaKey);
      s.setInt(3, pid);
      try (ResultSet r = s.executeQuery()) {
        if (!r.next()) {
          synchronized (this) {
            held = false;
          }
          throw new LeaseLostException("the publisher lease's session no longer holds the lock");
        }
      }
    }
  }

  @Override
  public synchronized void close() {
    drop(); // ending the session releases the lock at once
  }

  private void drop() {
    held = false;
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        // a broken connection: its session is gone or going, and the lock with it
      }
      connection = null;
    }
  }
}
