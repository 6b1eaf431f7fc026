package org.parley.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.protocol.AccountId;
import org.parley.server.PostgresSchema;
import org.parley.server.TestPostgres;
import org.parley.server.kt.KtPending;
import org.parley.server.storage.Store;

/**
 * Accounts registered before the key-transparency migration are queued for the log by it. Runs in a
 * schema of its own ({@link PostgresSchema}), dropped afterwards; -Dparley.test.postgres=false
 * skips it.
 */
class PostgresKtMigrationIT {
  @RegisterExtension final PostgresSchema postgres = new PostgresSchema();

  @Test
  void accountsThatExistedBeforeTheLogAreQueuedOldestFirst() throws Exception {
    String schema = postgres.name();
    Flyway.configure()
        .dataSource(TestPostgres.URL, TestPostgres.USER, TestPostgres.PASSWORD)
        .schemas(schema)
        .defaultSchema(schema)
        .createSchemas(true)
        .locations("classpath:db/migration/postgres")
        .target("1")
        .load()
        .migrate();
    AccountId older = AccountId.random();
    AccountId newer = AccountId.random();
    try (Connection c = TestPostgres.connect();
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

    try (Store store = new PostgresStoreProvider().open(postgres.storeSettings())) {
      assertThat(store.kt().pending(10))
          .containsExactly(new KtPending(older, 1), new KtPending(newer, 2));
      assertThat(store.kt().size()).isZero();
    }
  }
}
