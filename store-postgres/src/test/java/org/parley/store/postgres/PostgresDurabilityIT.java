package org.parley.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.parley.server.TestPostgres;

/**
 * The durability setting reaches every connection of the pool (docs/operations.md, "Durability"):
 * process commits without waiting for PostgreSQL's WAL flush (a killed Parley server still loses
 * nothing: CrashRecoveryIT on PostgreSQL), power-loss waits for it, and nothing else is accepted.
 */
class PostgresDurabilityIT {
  @Test
  void processCommitsAsynchronouslyAndPowerLossWaitsForTheFlush() throws Exception {
    TestPostgres.ensureDatabase();
    assertThat(synchronousCommit(Map.of())).isEqualTo("off");
    assertThat(synchronousCommit(Map.of("durability", "process"))).isEqualTo("off");
    assertThat(synchronousCommit(Map.of("durability", "power-loss"))).isEqualTo("on");
  }

  @Test
  void anUnknownModeIsRefused() {
    assertThatThrownBy(() -> PostgresStoreProvider.poolConfig(Map.of("durability", "sometimes")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("process or power-loss");
  }

  private static String synchronousCommit(Map<String, String> durability) throws Exception {
    Map<String, String> settings = new HashMap<>(TestPostgres.storeSettings("public"));
    settings.putAll(durability);
    try (HikariDataSource pool = new HikariDataSource(PostgresStoreProvider.poolConfig(settings));
        Connection c = pool.getConnection();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SHOW synchronous_commit")) {
      r.next();
      return r.getString(1);
    }
  }
}
