package org.parley.bench;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Map;

/**
 * A fresh, randomly named PostgreSQL schema for one run; dropped with everything in it on close.
 */
final class PostgresSchema implements AutoCloseable {
  private final String url;
  private final String user;
  private final String password;
  private final String name;

  private PostgresSchema(String url, String user, String password, String name) {
    this.url = url;
    this.user = user;
    this.password = password;
    this.name = name;
  }

  static PostgresSchema create(String url, String user, String password) throws SQLException {
    byte[] random = new byte[6];
    new SecureRandom().nextBytes(random);
    String name = "parley_bench_" + HexFormat.of().formatHex(random);
    try (Connection c = DriverManager.getConnection(url, user, password);
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + name);
    }
    return new PostgresSchema(url, user, password, name);
  }

  /** The store settings that point a server at this schema. */
  Map<String, String> storeSettings() {
    return Map.of("url", url, "user", user, "password", password, "schema", name);
  }

  String name() {
    return name;
  }

  @Override
  public void close() throws SQLException {
    try (Connection c = DriverManager.getConnection(url, user, password);
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
    }
  }
}
