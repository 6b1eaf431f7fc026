package org.parley.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.parley.protocol.AccountId;
import org.parley.server.kt.KtPending;
import org.parley.server.storage.Store;

/**
 * Accounts registered before the key-transparency migration are queued for the log by it. Runs in a
 * schema of its own, dropped afterwards; -Dparley.test.postgres=false skips it.
 */
class PostgresKtMigrationIT {
  private static final String URL =
      System.getProperty("parley.test.postgres.url", "jdbc:postgresql://127.0.0.1:5432/postgres");
  private static final String USER = System.getProperty("parley.test.postgres.user", "postgres");
  private static final String PASSWORD = System.getProperty("parley.test.postgres.password", "");

  @Test
  void accountsThatExistedBeforeTheLogAreQueuedOldestFirst() throws Exception {
    Assumptions.assumeTrue(
        !"false".equals(System.getProperty("parley.test.postgres")), "PostgreSQL tests are off");
    String schema = "parley_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    try {
      Flyway.configure()
          .dataSource(URL, USER, PASSWORD)
          .schemas(schema)
          .defaultSchema(schema)
          .createSchemas(true)
          .locations("classpath:db/migration/postgres")
          .target("1")
          .load()
          .migrate();
      AccountId older = AccountId.random();
      AccountId newer = AccountId.random();
      try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD);
          PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO "
                      + schema
                      + ".accounts (id, handle, created_at, next_device_id) VALUES (?, ?, ?, 2)")) {
        for (AccountId id : List.of(newer, older)) {
          s.setString(1, id.value());
          s.setString(2, id.value() + "@parley.test");
          s.setLong(3, id == older ? 1_000L : 2_000L);
          s.executeUpdate();
        }
      }

      try (Store store =
          new PostgresStoreProvider()
              .open(Map.of("url", URL, "user", USER, "password", PASSWORD, "schema", schema))) {
        assertThat(store.kt().pending(10))
            .containsExactly(new KtPending(older, 1), new KtPending(newer, 2));
        assertThat(store.kt().size()).isZero();
      }
    } finally {
      try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD);
          Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      }
    }
  }
}
