package org.parley.client.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A profile written before trust came from the log alone (schema 2) kept keys trusted on first use
 * and handles as the server stated them; the upgrade forgets both, so neither is believed without
 * proof afterwards (issue 7, items 1 and 2).
 */
class TrustMigrationTest {
  @TempDir Path dir;

  @Test
  void keysTrustedOnFirstUseAndUnprovenHandlesAreForgotten() throws Exception {
    Path file = dir.resolve("device.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement st = c.createStatement()) {
      for (String migration : new String[] {"V1__device.sql", "V2__key_transparency.sql"}) {
        for (String sql : script(migration).split(";\\s*(\\n|$)")) {
          if (!sql.isBlank()) {
            st.execute(sql);
          }
        }
      }
      st.execute("PRAGMA user_version = 2");
      st.execute("INSERT INTO remote_identity VALUES ('a', 1, x'05', 0)");
      st.execute("INSERT INTO contact VALUES ('mallory-account', 'alice@example.org', 0)");
      st.execute("INSERT INTO contact_device VALUES ('mallory-account', 1, 7, x'05', 'phone')");
      st.execute("INSERT INTO session VALUES ('a', 1, x'00')");
    }
    try (DeviceDatabase db = DeviceDatabase.open(file)) {
      assertThat(db.schemaVersion()).isEqualTo(16);
      assertThat(count(db, "remote_identity")).isZero();
      assertThat(count(db, "contact")).isZero();
      assertThat(count(db, "contact_device")).isZero();
      assertThat(new ContactStore(db).byHandle("alice@example.org")).isEmpty();
      assertThat(count(db, "session"))
          .as("sessions are kept; their keys are proven again")
          .isEqualTo(1);
    }
  }

  private static int count(DeviceDatabase db, String table) {
    return db.read(
        c -> {
          try (Statement st = c.createStatement();
              ResultSet r = st.executeQuery("SELECT count(*) FROM " + table)) {
            r.next();
            return r.getInt(1);
          }
        });
  }

  private static String script(String name) throws Exception {
    try (InputStream in = DeviceDatabase.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).replaceAll("(?m)^\\s*--.*$", "");
    }
  }
}
