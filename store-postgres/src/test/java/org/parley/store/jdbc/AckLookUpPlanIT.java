package org.parley.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
import org.parley.store.postgres.PostgresStoreProvider;

/**
 * An acknowledgement finds its envelopes through the index on the id alone, whatever PostgreSQL
 * knows of the queue: on a table autovacuum has not analysed (these machines run with autovacuum
 * off) or one the store's own vacuum has ({@link org.parley.store.postgres.QueueVacuumIT}: which it
 * is depends on when its last round ran), with 3,000 envelopes waiting and 3,000 deleted, the
 * generic plan of the look-up the server runs must use {@code envelopes_id} and no other index. It
 * took the primary key's (account, device) range before (issue 9), reading every deleted row of the
 * device's queue on each acknowledgement: 2.8 ms per look-up and falling throughput a minute into
 * the bench.
 */
class AckLookUpPlanIT {
  private static final Pattern INDEX = Pattern.compile("\"Index Name\": \"([a-z_]+)\"");

  @Test
  void theLookUpUsesTheIdIndexOnAnUnanalysedQueueFullOfDeletedRows() throws Exception {
    String schema = "ack_plan_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    TestPostgres.ensureDatabase();
    try {
      List<String> live = new ArrayList<>();
      try (Store store = new PostgresStoreProvider().open(TestPostgres.storeSettings(schema))) {
        Account sender = register(store, 1);
        Account recipient = register(store, 2);
        for (int i = 0; i < 6_000; i++) {
          var result =
              store
                  .messages()
                  .enqueue(
                      recipient.id(),
                      null,
                      Set.of(),
                      List.of(new AddressedEnvelope(DeviceId.of(1), 2, envelope(sender))));
          String id = ((EnqueueResult.Stored) result).envelopes().get(0).envelope().id();
          if (i < 3_000) { // 3,000 deleted, 3,000 still queued
            assertThat(store.messages().acknowledge(recipient.id(), DeviceId.of(1), List.of(id)))
                .isTrue();
          } else {
            live.add(id);
          }
        }
      }
      int slots = 16;
      String sql = BatchedAcks.lookUpSql(slots, new Dialect(true, true, e -> false, e -> false));
      StringBuilder numbered = new StringBuilder();
      int n = 0;
      for (char ch : sql.toCharArray()) {
        if (ch == '?') {
          numbered.append('$').append(++n);
        } else {
          numbered.append(ch);
        }
      }
      StringBuilder args = new StringBuilder();
      for (int i = 0; i < slots; i++) {
        args.append(i == 0 ? "" : ", ").append('\'').append(live.get(i)).append('\'');
      }
      String plan;
      try (Connection c = TestPostgres.connect();
          Statement s = c.createStatement()) {
        s.execute("SET search_path = " + schema);
        s.execute("SET plan_cache_mode = force_generic_plan"); // the plan a reused statement gets
        s.execute(
            "PREPARE look_up("
                + String.join(", ", java.util.Collections.nCopies(slots, "text"))
                + ") AS "
                + numbered);
        try (ResultSet r = s.executeQuery("EXPLAIN (FORMAT JSON) EXECUTE look_up(" + args + ")")) {
          r.next();
          plan = r.getString(1);
        }
      }
      List<String> indexes = new ArrayList<>();
      Matcher m = INDEX.matcher(plan);
      while (m.find()) {
        indexes.add(m.group(1));
      }
      assertThat(indexes).as(plan).containsOnly("envelopes_id").isNotEmpty();
      assertThat(plan).contains("\"Index Cond\": \"(id = ANY");
    } finally {
      TestPostgres.dropSchema(schema);
    }
  }

  /** An envelope of 1 KiB, the size of a short padded message: a queue of many heap pages. */
  private static Envelope envelope(Account from) {
    return new Envelope(
        UUID.randomUUID().toString(),
        from.id(),
        from.handle(),
        DeviceId.of(1),
        EnvelopeType.MESSAGE,
        1_700_000_000_000L,
        1_700_000_000_500L,
        StoreFixture.bytes(1024));
  }

  private static Account register(Store store, int registrationId) throws Exception {
    Account account = StoreFixture.account(1_000L);
    store
        .accounts()
        .create(account, StoreFixture.newDevice("phone", registrationId), StoreFixture.bytes(64));
    return account;
  }
}
