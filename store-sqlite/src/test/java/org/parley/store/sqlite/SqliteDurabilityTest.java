package org.parley.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The durability switch: power-loss makes every connection sync each commit (synchronous=FULL), the
 * default syncs at checkpoints only (NORMAL), and anything else is refused.
 */
class SqliteDurabilityTest {
  @TempDir Path dir;

  @Test
  void powerLossSyncsEveryCommitAndProcessAtCheckpoints() throws Exception {
    assertThat(synchronous(true)).isEqualTo(2); // FULL
    assertThat(synchronous(false)).isEqualTo(1); // NORMAL
  }

  @Test
  void anUnknownModeIsRefusedBeforeAnythingIsOpened() {
    assertThatThrownBy(
            () ->
                new SqliteStoreProvider()
                    .open(
                        Map.of("path", dir.resolve("x.db").toString(), "durability", "sometimes")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("process or power-loss");
  }

  private int synchronous(boolean powerLoss) throws Exception {
    try (Connection c =
            SqliteStoreProvider.dataSource(dir.resolve("d.db"), powerLoss).getConnection();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("PRAGMA synchronous")) {
      r.next();
      return r.getInt(1);
    }
  }
}
