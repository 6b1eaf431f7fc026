package org.parley.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.client.ClientException;
import org.parley.client.ParleyClient;

/**
 * Issue 8, item 3: a failure that is not the message's fault (here, local state that cannot be
 * read: Bob's stored session with Alice is damaged) leaves the envelope unacknowledged, so it comes
 * again once the state is mended, instead of becoming an error entry and being lost.
 */
class LocalFailureIT {
  @RegisterExtension final Servers servers = new Servers();

  @Test
  void aMessageThatFailsLocallyStaysQueuedAndComesAgain() throws Exception {
    ServerProcess server = servers.start(Backend.SQLITE);
    try (People people = new People(server, servers.dataDir("clients"))) {
      ParleyClient alice = people.register("alice");
      ParleyClient bob = people.register("bob");
      alice.send("bob@example.org", "one");
      assertThat(ForgedEnvelopeIT.texts(bob.receive())).containsExactly("one");
      bob.send("alice@example.org", "reply");
      alice.receive();
      bob.receive(); // alice's receipt: nothing is queued for bob now
      String aliceAccount = alice.identity().orElseThrow().accountId().value();
      String bobAccount = bob.identity().orElseThrow().accountId().value();
      Path bobState = people.profile("bob-1");
      String select = "SELECT record FROM session WHERE account_id = ? AND device_id = 1";
      String replace = "UPDATE session SET record = ? WHERE account_id = ? AND device_id = 1";

      byte[] session = DeviceState.blob(bobState, select, aliceAccount);
      assertThat(DeviceState.update(bobState, replace, new byte[] {1, 2, 3}, aliceAccount))
          .isEqualTo(1); // damaged on disk
      alice.send("bob@example.org", "two");
      assertThatThrownBy(bob::receive)
          .isInstanceOf(ClientException.class)
          .hasMessageContaining("stays queued");
      assertThat(DatabaseScan.envelopeIds(server, bobAccount)).hasSize(1); // not acknowledged
      assertThat(bob.history("alice@example.org", 10))
          .extracting(e -> e.text())
          .containsExactly("one", "reply"); // no error entry stands for it

      DeviceState.update(bobState, replace, session, aliceAccount); // mended
      assertThat(ForgedEnvelopeIT.texts(bob.receive())).containsExactly("two");
      assertThat(DatabaseScan.envelopeIds(server, bobAccount)).isEmpty();
    }
  }
}
