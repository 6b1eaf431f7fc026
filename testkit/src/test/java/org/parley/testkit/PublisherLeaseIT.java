package org.parley.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.ClientEvent;
import org.parley.client.ParleyClient;
import org.parley.client.audit.LogAuditor;

/**
 * Two servers on one PostgreSQL schema publish one key-transparency log (issue 8, item 9): only the
 * holder of the publisher lease signs heads, the other serves the same log; when the holder is
 * killed the other takes over, and the log never forks: the clients' retained heads, kept across
 * both servers' heads, raise no alarm, and an auditor walking the log through either server agrees.
 */
class PublisherLeaseIT {
  private static final String HOLDS = "holds the key-transparency publisher lease";
  private static final long TAKEOVER_DEADLINE_MILLIS = 30_000;

  @TempDir Path dir;

  @Test
  void oneServerPublishesAndTheOtherTakesOverWhenItIsKilled() throws Exception {
    ServerProcess first = ServerProcess.start(Backend.POSTGRES, dir.resolve("first"));
    try (ServerProcess second = ServerProcess.startBeside(first, dir.resolve("second"));
        People onFirst = new People(first, dir.resolve("clients-first"));
        People onSecond = new People(second, dir.resolve("clients-second"))) {
      ParleyClient alice = onFirst.register("alice");
      ParleyClient bob =
          onSecond.register("bob"); // registered on the follower, published by the holder
      assertThat(alice.send("bob@example.org", "one").recipientDevices()).isEqualTo(1);
      assertThat(ConversationIT.texts(bob.receive(), ClientEvent.MessageReceived.class))
          .containsExactly("one");
      assertThat(first.log()).contains(HOLDS);
      assertThat(second.log()).as("only one server signs heads").doesNotContain(HOLDS);

      LogAuditor auditor = new LogAuditor(first.uri(), dir.resolve("auditor"));
      long audited = auditor.audit(true, line -> {}).treeSize();

      first.kill();
      await(() -> second.log().contains(HOLDS), "the second server takes the lease over");
      ParleyClient carol = onSecond.register("carol"); // published by the second server now
      assertThat(bob.send("carol@example.org", "two").recipientDevices()).isEqualTo(1);
      assertThat(ConversationIT.texts(carol.receive(), ClientEvent.MessageReceived.class))
          .containsExactly("two");

      first.restart(); // comes back as a follower: the lease stays where it is
      assertThat(alice.send("carol@example.org", "three").recipientDevices()).isEqualTo(1);
      assertThat(ConversationIT.texts(carol.receive(), ClientEvent.MessageReceived.class))
          .containsExactly("three");
      assertThat(first.log().split(HOLDS, -1))
          .as("the first server did not take the lease back")
          .hasSize(2);

      assertThat(alice.keyTransparencyAlarms()).isEmpty();
      assertThat(bob.keyTransparencyAlarms()).isEmpty();
      assertThat(carol.keyTransparencyAlarms()).isEmpty();
      // one log: the auditor's retained state from the first server's heads goes on through the
      // second's, and the first server, following, serves the same log
      LogAuditor throughSecond = new LogAuditor(second.uri(), dir.resolve("auditor"));
      assertThat(throughSecond.audit(true, line -> {}).treeSize()).isGreaterThan(audited);
      assertThat(
              new LogAuditor(first.uri(), dir.resolve("auditor"))
                  .audit(true, line -> {})
                  .treeSize())
          .isGreaterThan(audited);
    } finally {
      first.close();
    }
  }

  private static void await(BooleanSupplier condition, String what) {
    long deadline = System.currentTimeMillis() + TAKEOVER_DEADLINE_MILLIS;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError(what + ": not within " + TAKEOVER_DEADLINE_MILLIS + " ms");
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
