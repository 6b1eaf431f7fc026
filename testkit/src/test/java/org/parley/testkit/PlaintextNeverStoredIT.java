package org.parley.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.ParleyClient;

/**
 * The server's database never holds a message's plaintext: not while the envelopes wait in the
 * queues, not after delivery. The scan covers every column of every table (and for SQLite the raw
 * database and WAL files), and must find the handles, which are stored in clear, to show it looks.
 */
class PlaintextNeverStoredIT {
  @RegisterExtension final Servers servers = new Servers();

  @TempDir Path dir;

  @AllBackends
  void noTableHoldsTheText(Backend backend) throws Exception {
    ServerProcess server = servers.start(backend);
    try (People people = new People(server, dir.resolve("clients"))) {
      ParleyClient alice = people.register("alice");
      ParleyClient alice2 = people.link(alice, "alice-2");
      ParleyClient bob = people.register("bob");
      String secret = "the eagle lands at dawn " + UUID.randomUUID();
      String answer = "understood, dawn it is " + UUID.randomUUID();

      alice.send("bob@example.org", secret);
      // queued, not yet delivered: the envelopes are in the database now
      assertThat(DatabaseScan.tableNames(server)).isNotEmpty();
      assertThat(DatabaseScan.find(server, "alice@example.org"))
          .as("the scan sees stored data")
          .isNotEmpty();
      assertThat(DatabaseScan.find(server, secret)).isEmpty();

      bob.receive();
      bob.send("alice@example.org", answer);
      assertThat(DatabaseScan.find(server, answer)).isEmpty();
      alice.receive();
      alice2.receive();
      bob.receive();

      assertThat(DatabaseScan.find(server, secret)).isEmpty();
      assertThat(DatabaseScan.find(server, answer)).isEmpty();
      assertThat(server.log()).doesNotContain(secret).doesNotContain(answer);
      // and the clients did get it, so the scan was not of an empty conversation
      assertThat(bob.history("alice@example.org", 10))
          .extracting(e -> e.text())
          .contains(secret, answer);
    }
  }
}
