package org.parley.server;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * Which store the API tests run on. By default SQLite in the server's data directory; with
 * {@code -Dparley.test.store=postgres} (set by the store-postgres module, which runs these same
 * tests from the server's test-jar) a fresh PostgreSQL schema per server, dropped afterwards.
 */
final class TestStore {
  static final String STORE = System.getProperty("parley.test.store", "sqlite");
  private static final String URL =
      System.getProperty("parley.test.postgres.url", "jdbc:postgresql://127.0.0.1:5432/parley");
  private static final String USER = System.getProperty("parley.test.postgres.user", "postgres");

  private TestStore() {}

  static ServerConfig configure(ServerConfig config) {
    if (!STORE.equals("postgres")) {
      return config;
    }
    String schema = "api_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    return config
        .withStore("postgres")
        .withStoreSetting("url", URL)
        .withStoreSetting("user", USER)
        .withStoreSetting("schema", schema);
  }

  static void cleanUp(ServerConfig config) {
    if (!config.store().equals("postgres")) {
      return;
    }
    String schema = config.storeSettings().get("schema");
    if (schema == null || !schema.matches("api_it_[0-9a-f]+")) {
      return;
    }
    try (Connection c = DriverManager.getConnection(URL, USER, "");
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot drop test schema " + schema, e);
    }
  }
}
