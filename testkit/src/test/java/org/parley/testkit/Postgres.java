package org.parley.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** The PostgreSQL server of the development and CI machines (127.0.0.1:5432, trust auth). */
final class Postgres {
  static final String URL = "jdbc:postgresql://127.0.0.1:5432/parley";
  static final String USER = "postgres";

  private Postgres() {}

  static Connection connect() throws SQLException {
    return DriverManager.getConnection(URL, USER, "");
  }

  static void dropSchema(String schema) {
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
