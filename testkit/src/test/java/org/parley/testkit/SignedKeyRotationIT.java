package org.parley.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.client.ParleyClient;

/**
 * Issue 8, item 13: a device replaces its signed EC prekey and its last-resort Kyber prekey once
 * they are a week old, keeps the replaced ones 30 days for messages built on them, then deletes
 * them (docs/spec/crypto.md, "Rotating signed keys"). Time passes by moving the device's own record
 * of when it published them back.
 */
class SignedKeyRotationIT {
  private static final long DAY = Duration.ofDays(1).toMillis();

  @RegisterExtension final Servers servers = new Servers();

  @Test
  void signedKeysAreReplacedWeeklyAndDeletedAfterTheirGracePeriod() throws Exception {
    ServerProcess server = servers.start(Backend.SQLITE);
    try (People people = new People(server, servers.dataDir("clients"))) {
      ParleyClient alice = people.register("alice");
      ParleyClient bob = people.register("bob");
      Path bobState = people.profile("bob-1");
      String bobAccount = bob.identity().orElseThrow().accountId().value();
      alice.send("bob@example.org", "one");
      assertThat(ForgedEnvelopeIT.texts(bob.receive())).containsExactly("one");

      int[] first = publishedKeys(server, bobAccount);
      assertThat(localSignedKeys(bobState)).containsExactly(first[0]);
      bob.refillPreKeys();
      assertThat(publishedKeys(server, bobAccount)).as("not due yet").containsExactly(first);

      // eight days later
      DeviceState.update(
          bobState, "UPDATE published_key SET uploaded_at = uploaded_at - ?", 8 * DAY);
      bob.refillPreKeys();
      int[] second = publishedKeys(server, bobAccount);
      assertThat(second[0]).isNotEqualTo(first[0]);
      assertThat(second[1]).isNotEqualTo(first[1]);
      // the replaced keys are kept for messages built on them
      assertThat(localSignedKeys(bobState)).containsExactlyInAnyOrder(first[0], second[0]);
      assertThat(localLastResortKeys(bobState)).containsExactlyInAnyOrder(first[1], second[1]);

      // a new contact starts a session on the new keys; the old session goes on
      ParleyClient carol = people.register("carol");
      carol.send("bob@example.org", "hello from carol");
      alice.send("bob@example.org", "two");
      assertThat(ForgedEnvelopeIT.texts(bob.receive()))
          .containsExactlyInAnyOrder("hello from carol", "two");
      assertThat(localSignedKeys(bobState)).as("still within the grace period").hasSize(2);

      // thirty-one days after the replacement
      DeviceState.update(
          bobState,
          "UPDATE published_key SET replaced_at = replaced_at - ?"
              + " WHERE replaced_at IS NOT NULL",
          31 * DAY);
      bob.refillPreKeys();
      assertThat(localSignedKeys(bobState)).containsExactly(second[0]);
      assertThat(localLastResortKeys(bobState)).containsExactly(second[1]);
      assertThat(publishedKeys(server, bobAccount)).containsExactly(second);

      alice.send("bob@example.org", "three");
      carol.send("bob@example.org", "four");
      assertThat(ForgedEnvelopeIT.texts(bob.receive())).containsExactlyInAnyOrder("three", "four");
    }
  }

  private static List<Integer> localSignedKeys(Path profile) {
    return DeviceState.ints(profile, "SELECT key_id FROM signed_prekey");
  }

  private static List<Integer> localLastResortKeys(Path profile) {
    return DeviceState.ints(profile, "SELECT key_id FROM kyber_prekey WHERE last_resort = 1");
  }

  /** The signed and last-resort key ids the server publishes for device 1 of an account. */
  private static int[] publishedKeys(ServerProcess server, String account) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + server.sqliteFile());
        PreparedStatement s =
            c.prepareStatement(
                "SELECT signed_key_id, last_resort_key_id"
                    + " FROM device_keys WHERE account_id = ? AND device_id = 1")) {
      s.setString(1, account);
      try (ResultSet r = s.executeQuery()) {
        assertThat(r.next()).isTrue();
        return new int[] {r.getInt(1), r.getInt(2)};
      }
    }
  }
}
