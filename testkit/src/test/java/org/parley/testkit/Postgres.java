package org.parley.testkit;

import java.sql.Connection;
import java.sql.SQLException;
import org.parley.server.TestPostgres;

/** The PostgreSQL the end-to-end tests use: {@link TestPostgres}, which creates what it needs. */
final class Postgres {
  static final String URL = TestPostgres.URL;
  static final String USER = TestPostgres.USER;

  private Postgres() {}

  static Connection connect() throws SQLException {
    return TestPostgres.connect();
  }

  static void dropSchema(String schema) {
    TestPostgres.dropSchema(schema);
  }
}
