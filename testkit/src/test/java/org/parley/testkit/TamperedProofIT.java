package org.parley.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.parley.client.HistoryEntry;
import org.parley.client.KtAlarm;
import org.parley.client.KtAlarmException;
import org.parley.client.ParleyClient;

/**
 * Issue 3, scenario 4, through a real misbehaving server: it swaps Bob's device list under the old
 * commitment, lifts a VRF proof from another label, or rolls its head back. Each time Alice's
 * client refuses at the named step, records an alarm, and sends nothing; the first, honest send is
 * the control. (The storage backend plays no part in how a response is altered: SQLite only.)
 */
class TamperedProofIT {
  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource({
    // the swapped value's commitment is not the one in the prefix tree: caught where two facts
    // about the tree meet (two searches in one proof, a retained root, or the signed head)
    "SWAP_VALUE, does not match the retained root|tree head does not verify|disagree",
    "LIFT_VRF, VRF proof for version",
    "ROLLBACK, a rollback"
  })
  void aTamperedSearchIsAnAlarmAndNothingIsSent(String mode, String detection) throws Exception {
    try (ServerProcess server =
            ServerProcess.start(
                Backend.SQLITE, dir.resolve("server"), List.of("--kt-test-misbehaviour", "true"));
        People people = new People(server, dir.resolve("clients"))) {
      ParleyClient alice = people.register("alice");
      ParleyClient bob = people.register("bob");
      assertThat(alice.send("bob@example.org", "honest").recipientDevices()).isEqualTo(1);
      long proven = System.nanoTime();

      String bobAccount = bob.identity().orElseThrow().accountId().value();
      assertThat(AuditIT.post(server, "/v1/test/kt/tamper/" + bobAccount + "/" + mode))
          .isEqualTo(204);
      // alice proves bob's list again once her proof is past its window: that search is tampered
      CachedDeviceListIT.outlastProofWindow(proven);
      assertThatThrownBy(() -> alice.send("bob@example.org", "after"))
          .isInstanceOf(KtAlarmException.class)
          .hasMessageMatching("(?s).*(" + detection + ").*");
      assertThat(alice.keyTransparencyAlarms())
          .extracting(KtAlarm::kind)
          .containsExactly(KtAlarm.Kind.INVALID_PROOF);
      assertThat(alice.keyTransparencyAlarms().getFirst().evidence()).isNotEmpty();
      assertThat(alice.history("bob@example.org", 10))
          .extracting(HistoryEntry::text)
          .containsExactly("honest");
      assertThat(bob.receive()).hasSize(1); // only the honest message ever reached bob
    }
  }
}
