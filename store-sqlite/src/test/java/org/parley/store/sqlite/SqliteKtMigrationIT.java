package org.parley.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.protocol.AccountId;
import org.parley.server.kt.KtPending;
import org.parley.server.storage.Store;
import org.sqlite.SQLiteDataSource;

/** Accounts registered before the key-transparency migration are queued for the log by it. */
class SqliteKtMigrationIT {
  @TempDir Path dir;

  @Test
  void accountsThatExistedBeforeTheLogAreQueuedOldestFirst() throws Exception {
    Path file = dir.resolve("old.db");
    SQLiteDataSource source = new SQLiteDataSource();
    source.setUrl("jdbc:sqlite:" + file);
    Flyway.configure()
        .dataSource(source)
        .locations("classpath:db/migration/sqlite")
        .target("1")
        .load()
        .migrate();
    AccountId older = AccountId.random();
    AccountId newer = AccountId.random();
    try (Connection c = source.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "INSERT INTO accounts (id, handle, created_at, next_device_id) VALUES (?, ?, ?,"
                    + " 2)")) {
      for (AccountId id : List.of(newer, older)) {
        s.setString(1, id.value());
        s.setString(2, id.value() + "@parley.test");
        s.setLong(3, id == older ? 1_000L : 2_000L);
        s.executeUpdate();
      }
    }

    try (Store store = new SqliteStoreProvider().open(Map.of("path", file.toString()))) {
      assertThat(store.kt().pending(10))
          .containsExactly(new KtPending(older, 1), new KtPending(newer, 2));
      assertThat(store.kt().size()).isZero();
    }
  }
}
