package org.parley.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.kt.DeviceListValue;
import org.parley.protocol.kt.LinkSerial;
import org.parley.server.storage.Store;
import org.parley.server.storage.StoreFixture;
import org.sqlite.SQLiteDataSource;

/**
 * Issue 8 item 7: devices stored before link serials (ids were never reused then) get their id as
 * their serial and their approver's id as its serial, and the account's next serial is the next id
 * it would have handed out, so the log states the same devices and a link after the upgrade takes a
 * serial no device had.
 */
class SqliteLinkSerialMigrationIT {
  @TempDir Path dir;

  @Test
  void devicesStoredBeforeSerialsTakeTheirIdAsTheirSerial() throws Exception {
    Path file = dir.resolve("old.db");
    SQLiteDataSource source = new SQLiteDataSource();
    source.setUrl("jdbc:sqlite:" + file);
    Flyway.configure()
        .dataSource(source)
        .locations("classpath:db/migration/sqlite")
        .target("5")
        .load()
        .migrate();
    AccountId account = AccountId.random();
    try (Connection c = source.getConnection()) {
      try (PreparedStatement s =
          c.prepareStatement(
              "INSERT INTO accounts (id, handle, created_at,"
                  + " next_device_id) VALUES (?, ?, 1, 4)")) {
        s.setString(1, account.value());
        s.setString(2, "old@parley.test");
        s.executeUpdate();
      }
      // devices 1 and 3 (2 was removed); 3 was approved by 1
      for (int[] d : new int[][] {{1, 1}, {3, 1}}) {
        try (PreparedStatement s =
            c.prepareStatement(
                "INSERT INTO devices (account_id, device_id,"
                    + " name, registration_id, identity_key, password_salt, password_hash, created_at,"
                    + " approver_device_id, approval_signature) VALUES (?, ?, 'd', 7, ?, ?, ?, 1, ?, ?)")) {
          s.setString(1, account.value());
          s.setInt(2, d[0]);
          s.setBytes(3, StoreFixture.bytes(33));
          s.setBytes(4, StoreFixture.bytes(16));
          s.setBytes(5, StoreFixture.bytes(32));
          s.setInt(6, d[1]);
          s.setBytes(7, StoreFixture.bytes(64));
          s.executeUpdate();
        }
      }
    }

    try (Store store = new SqliteStoreProvider().open(Map.of("path", file.toString()))) {
      var entries =
          store.devices().devices(account).stream().map(d -> d.ktEntry().orElseThrow()).toList();
      assertThat(entries)
          .extracting(DeviceListValue.Entry::serial)
          .containsExactly(LinkSerial.of(1), LinkSerial.of(3));
      assertThat(entries)
          .extracting(DeviceListValue.Entry::approver)
          .containsOnly(LinkSerial.of(1));

      var link = StoreFixture.pendingLink(StoreFixture.newDevice("new", 9), Long.MAX_VALUE);
      store.links().create(link);
      byte[] key1 = store.devices().device(account, DeviceId.of(1)).orElseThrow().identityKey();
      store.links().approve(link.code(), account, StoreFixture.linkApproval(1, key1), 2L);
      DeviceId added = store.links().accept(link.code(), 2L).orElseThrow();

      assertThat(added).isEqualTo(DeviceId.of(2)); // the free id
      assertThat(store.devices().device(account, added).orElseThrow().serial())
          .isEqualTo(LinkSerial.of(4)); // not 2, which the removed device had
    }
  }
}
