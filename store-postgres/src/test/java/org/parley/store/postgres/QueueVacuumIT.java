package org.parley.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.parley.protocol.DeviceId;
import org.parley.protocol.message.Envelope;
import org.parley.protocol.message.EnvelopeType;
import org.parley.server.TestPostgres;
import org.parley.server.account.Account;
import org.parley.server.message.AddressedEnvelope;
import org.parley.server.message.EnqueueResult;
import org.parley.server.storage.Store;
import org.parley.server.storage.StoreFixture;

/**
 * On a PostgreSQL server without autovacuum (as these machines run it) the store vacuums its queue
 * itself once 1,000 envelopes were deleted: otherwise a deleted envelope's bytes stayed in the
 * table's pages for good (docs/security.md, "What the server keeps") and the queue's indexes only
 * grew (issue 9).
 */
class QueueVacuumIT {
  @Test
  void withoutAutovacuumTheStoreVacuumsItsQueueAfterAThousandDeletedEnvelopes() throws Exception {
    TestPostgres.ensureDatabase();
    try (Connection c = TestPostgres.connect();
        PreparedStatement s = c.prepareStatement("SELECT current_setting('autovacuum')");
        ResultSet r = s.executeQuery()) {
      r.next();
      assumeThat(r.getString(1)).as("the test PostgreSQL's autovacuum setting").isEqualTo("off");
    }
    String schema =
        "queue_vacuum_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    try (Store store = new PostgresStoreProvider().open(TestPostgres.storeSettings(schema))) {
      Account sender = register(store, 1);
      Account recipient = register(store, 2);
      for (int i = 0; i < 1_200; i++) {
        var stored =
            (EnqueueResult.Stored)
                store
                    .messages()
                    .enqueue(
                        recipient.id(),
                        null,
                        Set.of(),
                        List.of(new AddressedEnvelope(DeviceId.of(1), 2, envelope(sender))));
        String id = stored.envelopes().get(0).envelope().id();
        assertThat(store.messages().acknowledge(recipient.id(), DeviceId.of(1), List.of(id)))
            .isTrue();
      }
      // PostgreSQL's statistics reach pg_stat_user_tables within seconds; the vacuum follows
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      long[] stats = envelopeStats(schema);
      while (stats[0] == 0 && System.nanoTime() < deadline) {
        Thread.sleep(200);
        stats = envelopeStats(schema);
      }
      assertThat(stats[0]).as("manual vacuums of the queue").isPositive();
      assertThat(stats[1]).as("dead rows left in the queue").isLessThan(1_000);
    } finally {
      TestPostgres.dropSchema(schema);
    }
  }

  /** {vacuum_count, n_dead_tup} of the schema's queue. */
  private static long[] envelopeStats(String schema) throws SQLException {
    try (Connection c = TestPostgres.connect();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT vacuum_count, n_dead_tup FROM pg_stat_user_tables"
                    + " WHERE schemaname = ? AND relname = 'envelopes'")) {
      s.setString(1, schema);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? new long[] {r.getLong(1), r.getLong(2)} : new long[] {0, 0};
      }
    }
  }

  private static Envelope envelope(Account from) {
    return new Envelope(
        UUID.randomUUID().toString(),
        from.id(),
        from.handle(),
        DeviceId.of(1),
        EnvelopeType.MESSAGE,
        1_700_000_000_000L,
        1_700_000_000_500L,
        StoreFixture.bytes(256));
  }

  private static Account register(Store store, int registrationId) throws Exception {
    Account account = StoreFixture.account(1_000L);
    store
        .accounts()
        .create(account, StoreFixture.newDevice("phone", registrationId), StoreFixture.bytes(64));
    return account;
  }
}
