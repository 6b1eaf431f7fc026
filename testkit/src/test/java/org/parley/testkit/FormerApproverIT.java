package org.parley.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.KtAlarm;
import org.parley.client.ParleyClient;

/**
 * Issue 7, item 5: on first contact, a device whose approver is no longer in the list is checked
 * against the last version of the list that held the approver (a fixed-version search), not
 * accepted unchecked. Bob's device 3 was approved by device 2, which he then removed: Carol, new,
 * accepts device 3 after checking it against an older version. A ghost claiming approval by a
 * device the account never had is refused on first contact.
 */
class FormerApproverIT {
  @TempDir Path dir;

  @Test
  void aDeviceApprovedByARemovedDeviceIsCheckedAgainstAnOlderVersion() throws Exception {
    try (ServerProcess server =
            ServerProcess.start(
                Backend.SQLITE, dir.resolve("server"), List.of("--kt-test-misbehaviour", "true"));
        People people = new People(server, dir.resolve("clients"))) {
      ParleyClient bob = people.register("bob");
      ParleyClient bob2 = people.link(bob, "bob-2");
      people.link(bob2, "bob-3"); // approved by device 2
      bob.removeDevice(2);
      AuditIT.awaitSize(server, AuditIT.treeSize(server) + 2);

      ParleyClient carol = people.register("carol"); // first contact with bob
      assertThat(carol.send("bob@example.org", "hi").recipientDevices()).isEqualTo(2);
      assertThat(carol.verify("bob@example.org").refusedDevices()).isEmpty();
      assertThat(carol.keyTransparencyAlarms()).isEmpty();

      // the server makes up a device approved by a device 99 the account never had
      String bobAccount = bob.identity().orElseThrow().accountId().value();
      assertThat(new Switch(server).ghost(bobAccount, null, 99)).isEqualTo(204);
      AuditIT.awaitSize(server, AuditIT.treeSize(server) + 2);
      ParleyClient dave = people.register("dave"); // first contact, too
      assertThat(dave.send("bob@example.org", "hi").recipientDevices()).isEqualTo(2);
      assertThat(dave.keyTransparencyAlarms())
          .extracting(KtAlarm::kind)
          .containsExactly(KtAlarm.Kind.UNAPPROVED_DEVICE);
      assertThat(dave.keyTransparencyAlarms().getFirst().message())
          .contains("device 127")
          .contains("approver (link serial 99)");
      assertThat(dave.verify("bob@example.org").refusedDevices()).containsExactly(127);
    }
  }
}
