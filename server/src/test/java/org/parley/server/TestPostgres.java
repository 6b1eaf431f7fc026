package org.parley.server;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The PostgreSQL that tests use: the server of the development and CI machines (127.0.0.1:5432,
 * trust auth), or another one named by {@code -Dparley.test.postgres.url / .user / .password};
 * {@code -Dparley.test.postgres=false} turns the PostgreSQL runs off. These are the only properties
 * the tests read for PostgreSQL, whichever module they are in. Tests create what they need: the
 * database {@code parley_test} on first use (from the server's maintenance database, so nothing has
 * to be set up by hand), and a fresh schema per server, dropped after.
 */
public final class TestPostgres {
  /** The database tests use, created on first use if missing. */
  public static final String DATABASE = "parley_test";

  public static final String URL =
      System.getProperty(
          "parley.test.postgres.url", "jdbc:postgresql://127.0.0.1:5432/" + DATABASE);

  public static final String USER = System.getProperty("parley.test.postgres.user", "postgres");

  public static final String PASSWORD = System.getProperty("parley.test.postgres.password", "");

  /** {@code -Dparley.test.postgres=false} skips every PostgreSQL run (SQLite runs stay). */
  public static final boolean ENABLED = !"false".equals(System.getProperty("parley.test.postgres"));

  private static boolean ready;

  private TestPostgres() {}

  /** A connection to the test database, creating it first if it does not exist. */
  public static Connection connect() throws SQLException {
    ensureDatabase();
    return DriverManager.getConnection(URL, USER, PASSWORD);
  }

  /**
   * Creates the test database if the URL names {@link #DATABASE} and it is missing. Several test
   * JVMs may race here: the loser's "already exists" is success.
   */
  public static synchronized void ensureDatabase() {
    if (ready || !URL.endsWith("/" + DATABASE)) {
      ready = true;
      return;
    }
    String maintenance = URL.substring(0, URL.length() - DATABASE.length()) + "postgres";
    try (Connection c = DriverManager.getConnection(maintenance, USER, PASSWORD)) {
      try (PreparedStatement s =
          c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
        s.setString(1, DATABASE);
        try (ResultSet r = s.executeQuery()) {
          if (!r.next()) {
            try (Statement create = c.createStatement()) {
              create.execute("CREATE DATABASE " + DATABASE);
            } catch (SQLException e) {
              if (!"42P04".equals(e.getSQLState())) { // duplicate_database: another JVM won
                throw e;
              }
            }
          }
        }
      }
      ready = true;
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot create the test database "
              + DATABASE
              + " on "
              + maintenance
              + " (is PostgreSQL running? .ci/run starts it): "
              + e.getMessage(),
          e);
    }
  }

  /** The store settings of a server or store on {@code schema} of the test database. */
  public static java.util.Map<String, String> storeSettings(String schema) {
    // a small pool: test servers run side by side (several per test, test classes in parallel)
    // within PostgreSQL's default 100 connections
    return java.util.Map.of(
        "url", URL, "user", USER, "password", PASSWORD, "schema", schema, "poolSize", "4");
  }

  /** Drops a test schema and everything in it. */
  public static void dropSchema(String schema) {
    if (!schema.matches("[a-z0-9_]+")) {
      throw new IllegalArgumentException(schema);
    }
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot drop schema " + schema, e);
    }
  }
}
