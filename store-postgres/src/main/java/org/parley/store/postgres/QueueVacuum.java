package org.parley.store.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Vacuums the tables whose rows are deleted all day (the queue and its shared parts, the one-time
 * keys, the links) when the PostgreSQL server runs without autovacuum, at the thresholds migrations
 * V4 and V11 give autovacuum for them. Without a vacuum a deleted row's bytes stay in the table's
 * pages for good (docs/security.md, "What the server keeps"), and the queue's heap and indexes only
 * grow: with autovacuum off (as on the machines the project tests and measures on) every index
 * insert and look-up of a busy queue wades through the entries of envelopes delivered long ago.
 * Where autovacuum runs this does nothing: it is the operator's.
 *
 * <p>Every second it reads the tables' dead-row counts from {@code pg_stat_user_tables} and runs
 * {@code VACUUM (SKIP_LOCKED)} on each over its threshold, on a connection of its own (VACUUM
 * cannot run in the pool's transactions). Servers sharing the schema each do so; SKIP_LOCKED lets
 * one pass while another's vacuum of the same table runs.
 */
final class QueueVacuum implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(QueueVacuum.class);

  /** Dead rows before a vacuum, per table: V4's and V11's {@code autovacuum_vacuum_threshold}. */
  static final Map<String, Long> THRESHOLDS =
      Map.of(
          "envelopes", 1_000L,
          "shared_parts", 1_000L,
          "one_time_prekeys", 1_000L,
          "one_time_kyber_prekeys", 1_000L,
          "links", 100L);

  private final String url;
  private final Properties properties;
  private final String schema;
  private final ScheduledExecutorService timer;
  private Connection connection; // on the timer thread only
  private boolean warned; // on the timer thread only

  private QueueVacuum(String url, Properties properties, String schema) {
    this.url = url;
    this.properties = properties;
    this.schema = schema;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().name("postgres-vacuum").daemon().unstarted(r));
  }

  /**
   * Starts vacuuming if the server runs without autovacuum; else returns null.
   *
   * @param probe a connection of the store, to ask the server's settings
   */
  static QueueVacuum startIfNeeded(
      Connection probe, String url, String user, String password, String schema)
      throws SQLException {
    if (!"off".equals(setting(probe, "autovacuum"))) {
      return null;
    }
    if (!"on".equals(setting(probe, "track_counts"))) {
      LOG.warn(
          "PostgreSQL runs with autovacuum and track_counts off: the server cannot tell when its"
              + " queue needs a vacuum, so deleted envelopes stay in the table's pages until the"
              + " operator runs VACUUM (docs/operations.md)");
      return null;
    }
    Properties properties = new Properties();
    properties.setProperty("user", user);
    if (password != null) {
      properties.setProperty("password", password);
    }
    properties.setProperty("ApplicationName", "parley-queue-vacuum");
    LOG.info(
        "PostgreSQL runs with autovacuum off: the server vacuums its queue tables itself"
            + " (docs/operations.md)");
    QueueVacuum vacuum = new QueueVacuum(url, properties, schema);
    vacuum.timer.scheduleWithFixedDelay(vacuum::round, 1, 1, TimeUnit.SECONDS);
    return vacuum;
  }

  private static String setting(Connection c, String name) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT current_setting(?)")) {
      s.setString(1, name);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getString(1);
      }
    }
  }

  /** One look at the dead-row counts, and a vacuum of each table over its threshold. */
  private void round() {
    try {
      if (connection == null || !connection.isValid(2)) {
        closeConnection();
        connection = DriverManager.getConnection(url, properties);
        connection.setAutoCommit(true);
      }
      for (String table : due(connection)) {
        try (Statement s = connection.createStatement()) {
          s.execute("VACUUM (SKIP_LOCKED) \"" + schema + "\".\"" + table + "\"");
        }
      }
      warned = false;
    } catch (SQLException | RuntimeException e) {
      if (!warned) { // once per outage, not every second
        LOG.warn("could not vacuum the queue tables (will retry): {}", e.getMessage());
        warned = true;
      }
      closeConnection();
    }
  }

  private List<String> due(Connection c) throws SQLException {
    List<String> due = new ArrayList<>();
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT relname, n_dead_tup FROM pg_stat_user_tables WHERE schemaname = ?")) {
      s.setString(1, schema);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          Long threshold = THRESHOLDS.get(r.getString(1));
          if (threshold != null && r.getLong(2) >= threshold) {
            due.add(r.getString(1));
          }
        }
      }
    }
    return due;
  }

  private void closeConnection() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // it is being dropped
      }
      connection = null;
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeConnection(); // the timer thread has stopped: no round touches it any more
  }
}
