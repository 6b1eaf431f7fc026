package org.parley.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.KtAlarm;
import org.parley.client.KtAlarmException;
import org.parley.client.ParleyClient;
import org.parley.client.audit.LogAuditor;

/**
 * Issue 3, scenario 2: the operator forks its log. It copies the server's data (keys and log) at
 * some point, keeps serving the honest log to everyone, then serves Alice from the copy, where it
 * adds a ghost device to Bob's list. Alice's client rejects the forked log as inconsistent with the
 * head it retained, encrypts nothing, and keeps an alarm; the outside auditor that audited the
 * honest log reports the fork when it is shown the other one. (SQLite only: the fork is made by
 * copying the data directory.)
 */
class ForkIT {
  @TempDir Path dir;

  @Test
  void aForkedLogIsRejectedByTheClientAndReportedByTheAuditor() throws Exception {
    Path honest = dir.resolve("server");
    Path forked = dir.resolve("fork");
    List<String> misbehave = List.of("--kt-test-misbehaviour", "true");
    ServerProcess server = ServerProcess.start(Backend.SQLITE, honest, misbehave);
    try (People people = new People(server, dir.resolve("clients"))) {
      ParleyClient alice = people.register("alice");
      ParleyClient bob = people.register("bob");
      assertThat(alice.send("bob@example.org", "one").recipientDevices()).isEqualTo(1);

      server.copyDataTo(forked); // the operator keeps a copy of the log as it is now

      people.link(bob, "bob-2"); // the honest log moves on
      assertThat(alice.send("bob@example.org", "two").recipientDevices()).isEqualTo(2);
      LogAuditor auditor = new LogAuditor(server.uri(), dir.resolve("auditor"));
      String auditorKey = auditor.audit(true, line -> {}).auditorKey();

      // Alice is now served the copy, where Bob gets a ghost device instead of bob-2
      ServerProcess fork = server.replaceWith(forked, misbehave);
      server = fork;
      String bobAccount = bob.identity().orElseThrow().accountId().value();
      assertThat(AuditIT.post(fork, "/v1/test/kt/ghost/" + bobAccount)).isEqualTo(204);
      AuditIT.awaitSize(fork, AuditIT.treeSize(fork) + 1);
      DeviceState.expireProofs(people.profile("alice-1")); // as when her proofs are 30 epochs old

      assertThatThrownBy(() -> alice.send("bob@example.org", "three"))
          .isInstanceOf(KtAlarmException.class);
      assertThat(alice.keyTransparencyAlarms())
          .extracting(KtAlarm::kind)
          .containsAnyOf(KtAlarm.Kind.ROLLBACK, KtAlarm.Kind.INVALID_PROOF);
      assertThat(alice.history("bob@example.org", 10))
          .filteredOn(e -> e.kind() == org.parley.client.HistoryEntry.Kind.TEXT)
          .extracting(e -> e.text())
          .containsExactly("one", "two"); // nothing was encrypted or sent after the fork
      // and bob-2, proven by the honest log before the fork, was told once; the ghost never
      assertThat(alice.history("bob@example.org", 10))
          .filteredOn(e -> e.kind() == org.parley.client.HistoryEntry.Kind.DEVICE)
          .singleElement()
          .satisfies(e -> assertThat(e.text()).contains("added device 2"));

      // a newcomer on the forked server, with nothing retained, requires the auditor: no head
      // from it covers this log, so nothing is trusted
      ParleyClient dave = people.register("dave");
      dave.requireAuditor(auditorKey, java.time.Duration.ofHours(1));
      assertThatThrownBy(() -> dave.verify("bob@example.org"))
          .isInstanceOf(org.parley.client.ClientException.class)
          .hasMessageContaining("auditor");

      assertThatThrownBy(() -> auditor.audit(true, line -> {}))
          .isInstanceOf(LogAuditor.AuditFailure.class)
          .satisfies(e -> assertThat(e.getMessage()).containsAnyOf("FORK", "ROLLBACK"));
    } finally {
      server.close();
    }
  }
}
