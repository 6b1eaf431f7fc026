package org.parley.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.parley.protocol.AccountId;
import org.parley.server.TestPostgres;
import org.parley.server.account.Account;
import org.parley.server.kt.KtPendingAccount;
import org.parley.server.storage.Store;
import org.parley.server.storage.StoreFixture;

/**
 * The publisher reads the pending accounts with their account rows and devices at one instant. It
 * once read the devices in one statement and the accounts in the next, each at its own snapshot: an
 * account registered between the two came with its account but without devices, so the epoch
 * published nothing for it and still took it off the queue, and the new account never reached the
 * log (the testkit's rare "not in the key-transparency log after 60 s", issue 9). Here a lock on
 * {@code accounts} holds the read while a registration commits, the widest gap the old read had.
 */
class PendingAccountsSnapshotIT {
  @Test
  void anAccountRegisteredDuringTheReadComesWithItsDevicesOrNotAtAll() throws Exception {
    TestPostgres.ensureDatabase();
    String schema =
        "pending_snapshot_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    try (Store store = new PostgresStoreProvider().open(TestPostgres.storeSettings(schema))) {
      Account alice = StoreFixture.account(1_000L);
      store.accounts().create(alice, StoreFixture.newDevice("phone", 1), StoreFixture.bytes(64));
      AccountId carol = AccountId.random();
      CompletableFuture<List<KtPendingAccount>> read = new CompletableFuture<>();
      try (Connection registration = TestPostgres.connect()) {
        registration.setAutoCommit(false);
        try (Statement s = registration.createStatement()) {
          s.execute("SET search_path = " + schema);
          s.execute("LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE");
        }
        Thread reader =
            Thread.ofPlatform()
                .daemon()
                .start(
                    () -> {
                      try {
                        read.complete(store.kt().pendingAccounts(10_000));
                      } catch (Throwable t) {
                        read.completeExceptionally(t);
                      }
                    });
        awaitWaitingOnAccounts(schema, reader);
        registerCopy(registration, alice.id(), carol);
        registration.commit();
      }
      List<KtPendingAccount> pending = read.get(30, TimeUnit.SECONDS);

      assertThat(pending)
          .as("each pending account read with its account row also comes with its devices")
          .allSatisfy(
              p -> {
                if (p.account().isPresent()) {
                  assertThat(p.devices()).as("devices of " + p.account().get()).isNotEmpty();
                }
              });
      assertThat(pending)
          .filteredOn(p -> p.pending().account().equals(carol))
          .allSatisfy(p -> assertThat(p.devices()).extracting(d -> d.id().value()).containsOnly(1));
    } finally {
      TestPostgres.dropSchema(schema);
    }
  }

  /**
   * What a registration commits, in one transaction: carol's account, her device (copies of alice's
   * rows) and her place in the log's queue.
   */
  private static void registerCopy(Connection c, AccountId from, AccountId to) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TEMP TABLE copied_account ON COMMIT DROP AS SELECT * FROM accounts");
      s.execute("CREATE TEMP TABLE copied_devices ON COMMIT DROP AS SELECT * FROM devices");
    }
    for (String sql :
        List.of(
            "DELETE FROM copied_account WHERE id <> ?",
            "UPDATE copied_account SET id = ?, handle = 'carol@example.org'",
            "DELETE FROM copied_devices WHERE account_id <> ?",
            "UPDATE copied_devices SET account_id = ?",
            "INSERT INTO kt_pending (account_id, seq) SELECT ?, max(seq) + 1 FROM kt_pending")) {
      try (PreparedStatement s = c.prepareStatement(sql)) {
        s.setString(1, sql.startsWith("DELETE") ? from.value() : to.value());
        s.executeUpdate();
      }
    }
    try (Statement s = c.createStatement()) {
      s.execute("INSERT INTO accounts SELECT * FROM copied_account");
      s.execute("INSERT INTO devices SELECT * FROM copied_devices");
    }
  }

  /** Until the reader's connection waits for the lock on the schema's {@code accounts}. */
  private static void awaitWaitingOnAccounts(String schema, Thread reader) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      try (Connection c = TestPostgres.connect();
          PreparedStatement s =
              c.prepareStatement(
                  "SELECT count(*) FROM pg_locks l JOIN pg_class r ON r.oid = l.relation"
                      + " JOIN pg_namespace n ON n.oid = r.relnamespace"
                      + " WHERE n.nspname = ? AND r.relname = 'accounts' AND NOT l.granted")) {
        s.setString(1, schema);
        try (ResultSet r = s.executeQuery()) {
          r.next();
          if (r.getLong(1) > 0) {
            return;
          }
        }
      }
      assertThat(reader.isAlive()).as("the read waits for the lock on accounts").isTrue();
      assertThat(System.nanoTime()).as("waiting for the read to block").isLessThan(deadline);
      Thread.sleep(20);
    }
  }
}
