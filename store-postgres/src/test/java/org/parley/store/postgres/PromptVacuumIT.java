package org.parley.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.parley.server.TestPostgres;
import org.parley.server.storage.Store;

/**
 * The tables whose rows are deleted all day (the queue, one-time keys, links) are vacuumed after a
 * fixed number of dead rows, not after a fifth of the table (issue 8, item 10; migration V4): what
 * PostgreSQL can do to make deleted rows' bytes reusable soon.
 */
class PromptVacuumIT {
  @Test
  void theDeletedTablesHaveAggressiveAutovacuumSettings() throws Exception {
    String schema = "vacuum_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    TestPostgres.ensureDatabase();
    try (Store store =
            new PostgresStoreProvider()
                .open(
                    Map.of("url", TestPostgres.URL, "user", TestPostgres.USER, "schema", schema));
        Connection c = TestPostgres.connect();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT c.relname, c.reloptions::text FROM pg_class c"
                    + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname IN"
                    + " ('envelopes', 'one_time_prekeys', 'one_time_kyber_prekeys', 'links')")) {
      s.setString(1, schema);
      int tables = 0;
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          tables++;
          assertThat(r.getString(2))
              .as(r.getString(1))
              .contains("autovacuum_vacuum_scale_factor=0")
              .contains("autovacuum_vacuum_cost_delay=0");
        }
      }
      assertThat(tables).isEqualTo(4);
    } finally {
      TestPostgres.dropSchema(schema);
    }
  }
}
