package org.parley.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.server.storage.Store;
import org.sqlite.SQLiteDataSource;

/**
 * A database from before secure_delete (issue 8, item 10) keeps deleted envelopes in its free
 * space; opening it with this version rewrites it once, so that they are gone.
 */
class SqliteSecureDeleteUpgradeIT {
  @TempDir Path dir;

  @Test
  void anOlderDatabaseIsRewrittenWithoutWhatItDeleted() throws Exception {
    Path file = dir.resolve("old.db");
    SQLiteDataSource source = new SQLiteDataSource();
    source.setUrl("jdbc:sqlite:" + file);
    Flyway.configure()
        .dataSource(source)
        .locations("classpath:db/migration/sqlite")
        .target("3")
        .load()
        .migrate();
    String marker = "delivered-long-ago-" + System.nanoTime();
    try (Connection c = source.getConnection()) {
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA secure_delete = OFF"); // as every connection was before
      }
      try (PreparedStatement s =
          c.prepareStatement(
              "INSERT INTO envelopes (account_id, device_id,"
                  + " seq, id, source_account_id, source_handle, source_device_id, type, sent_at,"
                  + " server_timestamp, content) VALUES ('a', 1, 1, ?, 'b', 'b@x', 1, 'message', 0, 0, ?)")) {
        s.setString(1, marker);
        s.setBytes(2, marker.getBytes(StandardCharsets.US_ASCII));
        s.executeUpdate();
      }
      try (Statement s = c.createStatement()) {
        s.execute("DELETE FROM envelopes");
      }
    }
    assertThat(contains(file, marker)).as("the old database kept the deleted row").isTrue();

    try (Store store = new SqliteStoreProvider().open(Map.of("path", file.toString()))) {
      assertThat(store.kt().size()).isZero();
    }
    assertThat(contains(file, marker)).isFalse();
    assertThat(Files.exists(Path.of(file + "-wal")) && contains(Path.of(file + "-wal"), marker))
        .isFalse();
  }

  private static boolean contains(Path file, String text) throws Exception {
    return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(text);
  }
}
