package org.parley.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.ClientEvent;
import org.parley.client.ParleyClient;

/**
 * What the server acknowledged survives SIGKILL: the process is killed after it answered a send and
 * before the recipient connected; after a restart the message is delivered exactly once.
 */
class CrashRecoveryIT {
  @RegisterExtension final Servers servers = new Servers();

  @TempDir Path dir;

  @AllBackends
  void acknowledgedSendSurvivesKill(Backend backend) {
    ServerProcess server = servers.start(backend);
    try (People people = new People(server, dir.resolve("clients"))) {
      ParleyClient alice = people.register("alice");
      ParleyClient bob = people.register("bob");
      String first = "before the crash " + UUID.randomUUID();
      String second = "also before the crash " + UUID.randomUUID();

      assertThat(alice.send("bob@example.org", first).recipientDevices()).isEqualTo(1);
      assertThat(alice.send("bob@example.org", second).recipientDevices()).isEqualTo(1);
      server.kill(); // SIGKILL right after the answers: no shutdown hook, no flush
      server.restart();

      assertThat(ConversationIT.texts(bob.receive(), ClientEvent.MessageReceived.class))
          .containsExactly(first, second);
      assertThat(bob.receive()).noneMatch(e -> e instanceof ClientEvent.MessageReceived);
      assertThat(bob.history("alice@example.org", 10))
          .extracting(e -> e.text())
          .containsExactly(first, second);

      // the receipts went back through the restarted server too
      assertThat(alice.receive())
          .filteredOn(e -> e instanceof ClientEvent.DeliveryConfirmed)
          .hasSize(2);
    }
  }

  @AllBackends
  void clientStateSurvivesRestartOfTheClient(Backend backend) {
    ServerProcess server = servers.start(backend);
    try (People people = new People(server, dir.resolve("clients"))) {
      ParleyClient alice = people.register("alice");
      ParleyClient bob = people.register("bob");
      alice.send("bob@example.org", "one");
      bob.receive();
      bob.close();
      alice.close();

      ParleyClient bobAgain = people.open("bob-1");
      ParleyClient aliceAgain = people.open("alice-1");
      aliceAgain.send("bob@example.org", "two");
      assertThat(ConversationIT.texts(bobAgain.receive(), ClientEvent.MessageReceived.class))
          .containsExactly("two");
      assertThat(bobAgain.history("alice@example.org", 10))
          .extracting(e -> e.text())
          .containsExactly("one", "two");
    }
  }
}
