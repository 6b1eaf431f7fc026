package org.parley.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.parley.cli.ParleyRun;
import org.parley.client.ParleyClient;
import org.parley.crypto.DeviceCrypto;
import org.parley.crypto.InMemoryProtocolState;

/**
 * Issue 8, item 4: key transparency never fails open. What the parley command prints and how it
 * exits when the server's log was rolled back, when a send meets a device the account never
 * approved or a key the log does not prove, and after a changed key was accepted. Real server
 * processes; the misbehaving ones through the test-only switch.
 */
class KtNeverFailsOpenIT {
  @RegisterExtension final Servers servers = new Servers();

  private static final int ALARM = 3;
  private static final Duration WAIT = Duration.ofSeconds(90);
  @TempDir Path dir;

  /**
   * The server's data directory is put back to an older copy (keys included, so the log signs as
   * before): the owner's device verified a longer log and a newer version of its own list, and the
   * log now denies both. That is an alarm for receive and for listen, not a check that "did not
   * run".
   */
  @Test
  void aServerRolledBackToAnOlderCopyIsAnAlarmForTheOwner() throws Exception {
    ServerProcess restored = null;
    ServerProcess server = servers.start(Backend.SQLITE);
    try (People people = new People(server, dir.resolve("clients"))) {
      ParleyClient alice = people.register("alice");
      people.register("bob");
      assertThat(alice.send("bob@example.org", "hello").recipientDevices()).isEqualTo(1);
      assertThat(alice.checkKeyTransparency()).isEmpty();

      server.copyDataTo(dir.resolve("old-copy"));
      people.link(alice, "alice-2"); // a new version of alice's list, and more entries
      assertThat(alice.checkKeyTransparency()).isEmpty(); // alice-1 verifies it
      alice.close();

      restored = server.replaceWith(dir.resolve("old-copy"), List.of());
      ParleyRun receive = ParleyRun.run(people.profile("alice-1"), "receive");
      assertThat(receive.exit()).as("receive: %s", receive).isEqualTo(ALARM);
      assertThat(receive.out() + receive.err())
          .contains("ALARM")
          .contains("rollback")
          .doesNotContain("did not run");

      ParleyRun.Background listen = ParleyRun.start(people.profile("alice-1"), "listen");
      ParleyRun listened = listen.await(WAIT).orElseGet(() -> stop(listen));
      assertThat(listened.exit()).as("listen: %s", listened).isEqualTo(ALARM);
      assertThat(listened.out()).contains("KEY-TRANSPARENCY ALARM (rollback)");
    } finally {
      if (restored != null) {
        restored.close();
      }
    }
  }

  /**
   * The server unreachable: the check did not run, and receive says so and fails (not an alarm, not
   * a success).
   */
  @Test
  void anUnreachableServerIsNotASuccessfulCheck() throws Exception {
    Path profile;
    ServerProcess server = servers.start(Backend.SQLITE);
    try (People people = new People(server, dir.resolve("clients"))) {
      people.register("alice").close();
      profile = people.profile("alice-1");
    }
    server.close(); // unreachable from here on
    ParleyRun receive = ParleyRun.run(profile, "receive");
    assertThat(receive.exit()).as("receive: %s", receive).isNotZero().isNotEqualTo(ALARM);
    assertThat(receive.err()).startsWith("parley: ").contains("reach");
  }

  /**
   * A send that meets a ghost device of Bob's (in the log and the directory, approved by no device
   * of his) prints the alarm, names the device it did not encrypt to, and exits 3; the message
   * still reaches Bob's real device.
   */
  @Test
  void aSendThatRaisesAnAlarmPrintsItAndExits3() throws Exception {
    try (ServerProcess server = misbehaving();
        People people = new People(server, dir.resolve("clients"))) {
      ParleyClient alice = people.register("alice");
      ParleyClient bob = people.register("bob");
      assertThat(alice.send("bob@example.org", "before").recipientDevices()).isEqualTo(1);
      alice.close();
      long size = AuditIT.treeSize(server);
      assertThat(new Switch(server).ghost(account(bob), null, null)).isEqualTo(204);
      AuditIT.awaitSize(server, size + 2);
      // the ghost takes no part in sends: alice meets it when she proves bob's list again
      DeviceState.expireProofs(people.profile("alice-1"));

      ParleyRun send = ParleyRun.run(people.profile("alice-1"), "send", "bob@example.org", "after");
      assertThat(send.exit()).as("send: %s", send).isEqualTo(ALARM);
      assertThat(send.out())
          .contains("Sent to bob@example.org (1 device)")
          .contains("Not sent to device 127 of bob@example.org");
      assertThat(send.out() + send.err()).contains("ALARM").contains("unapproved_device");
      // the same refusal at the next send: no new alarm, but still not a clean success
      ParleyRun again = ParleyRun.run(people.profile("alice-1"), "send", "bob@example.org", "x");
      assertThat(again.exit()).as("second send: %s", again).isEqualTo(ALARM);
      assertThat(again.out()).contains("Not sent to device 127 of bob@example.org");
      assertThat(ForgedEnvelopeIT.texts(bob.receive())).containsExactly("before", "after", "x");
    }
  }

  /**
   * The directory lists Bob's device 2 with a key the log does not prove for it: the send says what
   * happened (the server offers a key the log does not prove, so the device was withheld), raises
   * an alarm and exits 3, never "device list is out of date"; verify shows the device REFUSED and
   * exits 3. When the directory lies about Bob's only device nothing is sent, and the send fails
   * saying so instead of "sent to 0 devices".
   */
  @Test
  void aDeviceTheLogDoesNotProveIsWithheldAndSaidSo() throws Exception {
    try (ServerProcess server = misbehaving();
        People people = new People(server, dir.resolve("clients"))) {
      ParleyClient alice = people.register("alice");
      ParleyClient bob = people.register("bob");
      ParleyClient bob2 = people.link(bob, "bob-2");
      ParleyClient carol = people.register("carol");
      alice.close();
      byte[] other = DeviceCrypto.initialize(new InMemoryProtocolState()).identityKey().bytes();
      Switch lie = new Switch(server);
      assertThat(lie.directoryKey(account(bob), 2, other)).isEqualTo(204);

      ParleyRun send = ParleyRun.run(people.profile("alice-1"), "send", "bob@example.org", "hi");
      assertThat(send.exit()).as("send: %s", send).isEqualTo(ALARM);
      assertThat(send.out() + send.err())
          .doesNotContain("out of date")
          .contains("Not sent to device 2 of bob@example.org")
          .contains("a key the key-transparency log does not prove");
      assertThat(ForgedEnvelopeIT.texts(bob.receive())).containsExactly("hi");
      assertThat(bob2.receive()).isEmpty();

      ParleyRun verify = ParleyRun.run(people.profile("alice-1"), "verify", "bob@example.org");
      assertThat(verify.exit()).as("verify: %s", verify).isEqualTo(ALARM);
      assertThat(verify.out()).contains("REFUSED: devices [2]");

      assertThat(lie.directoryKey(account(carol), 1, other)).isEqualTo(204);
      ParleyRun none = ParleyRun.run(people.profile("alice-1"), "send", "carol@example.org", "hi");
      assertThat(none.exit()).as("send to carol: %s", none).isEqualTo(ALARM);
      assertThat(none.out() + none.err())
          .doesNotContain("Sent to")
          .contains("Nothing was sent")
          .contains("device 1 of carol@example.org");
      assertThat(carol.receive()).isEmpty();
    }
  }

  /**
   * A changed key keeps verify at exit 3 until the person accepts it; once accepted (after
   * comparing safety numbers) the alarm is kept, marked accepted, and verify exits 0 again.
   */
  @Test
  void anAcceptedKeyResolvesItsAlarmAndVerifyPassesAgain() throws Exception {
    ServerProcess server = servers.start(Backend.SQLITE);
    try (People people = new People(server, dir.resolve("clients"))) {
      ParleyClient alice = people.register("alice");
      ParleyClient bob = people.register("bob");
      ParleyClient bob2 = people.link(bob, "bob-2");
      assertThat(alice.send("bob@example.org", "to both").recipientDevices()).isEqualTo(2);
      alice.close();
      byte[] other = DeviceCrypto.initialize(new InMemoryProtocolState()).identityKey().bytes();
      for (String table : new String[] {"remote_identity", "trusted_key"}) {
        assertThat(
                DeviceState.update(
                    people.profile("alice-1"),
                    "UPDATE "
                        + table
                        + " SET identity_key = ? WHERE account_id = ? AND device_id = ?",
                    other,
                    account(bob),
                    2))
            .isEqualTo(1);
      }
      DeviceState.expireProofs(people.profile("alice-1"));

      ParleyRun send = ParleyRun.run(people.profile("alice-1"), "send", "bob@example.org", "x");
      assertThat(send.exit()).as("send: %s", send).isEqualTo(ALARM);
      assertThat(send.out() + send.err()).contains("changed_key");
      ParleyRun verify = ParleyRun.run(people.profile("alice-1"), "verify", "bob@example.org");
      assertThat(verify.exit()).as("verify: %s", verify).isEqualTo(ALARM);
      String fingerprint = bob2.fingerprint();
      assertThat(verify.out()).contains("CHANGED KEY: device 2").contains(fingerprint);

      ParleyRun accept =
          ParleyRun.run(
              people.profile("alice-1"),
              "verify",
              "bob@example.org",
              "--accept-key",
              "2:" + fingerprint);
      assertThat(accept.exit()).as("accept: %s", accept).isZero();
      assertThat(accept.out()).contains("accepted").doesNotContain("CHANGED KEY");
      ParleyRun later =
          ParleyRun.run(people.profile("alice-1"), "--json", "verify", "bob@example.org");
      assertThat(later.exit()).as("verify after accepting: %s", later).isZero();
      assertThat(later.out())
          .contains("\"kind\":\"changed_key\"")
          .contains("\"state\":\"accepted\"");
      ParleyRun sendAgain =
          ParleyRun.run(people.profile("alice-1"), "send", "bob@example.org", "y");
      assertThat(sendAgain.exit()).as("send after accepting: %s", sendAgain).isZero();
      assertThat(sendAgain.out()).contains("(2 devices)");
    }
  }

  private ServerProcess misbehaving() {
    return ServerProcess.start(
        Backend.SQLITE, dir.resolve("server"), List.of("--kt-test-misbehaviour", "true"));
  }

  private static String account(ParleyClient client) {
    return client.identity().orElseThrow().accountId().value();
  }

  private static ParleyRun stop(ParleyRun.Background running) {
    try {
      return running.stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
