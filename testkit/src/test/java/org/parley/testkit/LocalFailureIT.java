package org.parley.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.ClientException;
import org.parley.client.ParleyClient;

/**
 * Issue 8, item 3: a failure that is not the message's fault (here, local state that cannot be
 * read: Bob's stored session with Alice is damaged) leaves the envelope unacknowledged, so it
 * comes again once the state is mended, instead of becoming an error entry and being lost.
 */
class LocalFailureIT {
  @TempDir Path dir;

  @Test
  void aMessageThatFailsLocallyStaysQueuedAndComesAgain() throws Exception {
    try (ServerProcess server = ServerProcess.start(Backend.SQLITE, dir.resolve("server"));
        People people = new People(server, dir.resolve("clients"))) {
      ParleyClient alice = people.register("alice");
      ParleyClient bob = people.register("bob");
      alice.send("bob@example.org", "one");
      assertThat(ForgedEnvelopeIT.texts(bob.receive())).containsExactly("one");
      bob.send("alice@example.org", "reply");
      alice.receive();
      bob.receive(); // alice's receipt: nothing is queued for bob now
      String aliceAccount = alice.identity().orElseThrow().accountId().value();
      String bobAccount = bob.identity().orElseThrow().accountId().value();
      Path bobState = people.profile("bob-1").resolve("device.db");

      byte[] session = session(bobState, aliceAccount, null);
      session(bobState, aliceAccount, new byte[] {1, 2, 3}); // damaged on disk
      alice.send("bob@example.org", "two");
      assertThatThrownBy(bob::receive).isInstanceOf(ClientException.class)
          .hasMessageContaining("stays queued");
      assertThat(DatabaseScan.envelopeIds(server, bobAccount)).hasSize(1); // not acknowledged
      assertThat(bob.history("alice@example.org", 10)).extracting(e -> e.text())
          .containsExactly("one", "reply"); // no error entry stands for it

      session(bobState, aliceAccount, session); // mended
      assertThat(ForgedEnvelopeIT.texts(bob.receive())).containsExactly("two");
      assertThat(DatabaseScan.envelopeIds(server, bobAccount)).isEmpty();
    }
  }

  /** Reads Bob's session with Alice's device 1, or replaces it with {@code record}. */
  private static byte[] session(Path file, String account, byte[] record) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
      if (record == null) {
        try (PreparedStatement s = c.prepareStatement(
            "SELECT record FROM session WHERE account_id = ? AND device_id = 1")) {
          s.setString(1, account);
          try (ResultSet r = s.executeQuery()) {
            assertThat(r.next()).isTrue();
            return r.getBytes(1);
          }
        }
      }
      try (PreparedStatement s = c.prepareStatement(
          "UPDATE session SET record = ? WHERE account_id = ? AND device_id = 1")) {
        s.setBytes(1, record);
        s.setString(2, account);
        assertThat(s.executeUpdate()).isEqualTo(1);
      }
      return record;
    }
  }
}
