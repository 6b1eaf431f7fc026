package org.parley.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.KtAlarm;
import org.parley.client.KtStatus;
import org.parley.client.ParleyClient;

/**
 * Issue 7, item 4: Bob removes a stolen device; the server publishes one more version, then puts
 * the old entry back with its original, still valid approval, in the log and in its directory.
 * Bob's device raises {@code revived_device} (after a restart too: the removed key is stored) and
 * Alice never encrypts to it again. Removing a device and linking a new one on an honest server is
 * the control.
 */
class RevivedDeviceIT {
  @RegisterExtension final Servers servers = new Servers();

  @TempDir Path dir;

  @Test
  void aRemovedDeviceThatComesBackIsAnAlarmForTheOwnerAndRefusedByContacts() throws Exception {
    ServerProcess server =
        ServerProcess.start(
            Backend.SQLITE, dir.resolve("server"), List.of("--kt-test-misbehaviour", "true"));
    try (server;
        People people = new People(server, dir.resolve("clients"))) {
      ParleyClient alice = people.register("alice");
      ParleyClient bob = people.register("bob");
      people.link(bob, "bob-2");
      String bobAccount = bob.identity().orElseThrow().accountId().value();
      assertThat(alice.send("bob@example.org", "to both").recipientDevices()).isEqualTo(2);

      bob.removeDevice(2); // stolen
      AuditIT.awaitSize(server, AuditIT.treeSize(server) + 2);
      assertThat(bob.checkKeyTransparency()).isEmpty();
      assertThat(alice.send("bob@example.org", "to one").recipientDevices()).isEqualTo(1);
      long proven = System.nanoTime();
      bob.close();
      bob = people.open("bob-1"); // what bob learned must survive a restart

      assertThat(new Switch(server).revive(bobAccount, 2)).isEqualTo(204);
      AuditIT.awaitSize(server, AuditIT.treeSize(server) + 2);
      List<KtAlarm> alarms = bob.checkKeyTransparency();
      assertThat(alarms).extracting(KtAlarm::kind).contains(KtAlarm.Kind.REVIVED_DEVICE);
      assertThat(alarms)
          .anySatisfy(
              a ->
                  assertThat(a.message())
                      .contains("device 2")
                      .contains("key your account stopped using"));

      // this server lists the revived device but takes sends without it (no stale_devices), so
      // alice meets it when her proof of bob's list is past its window
      CachedDeviceListIT.outlastProofWindow(proven);
      assertThat(alice.send("bob@example.org", "still one").recipientDevices()).isEqualTo(1);
      assertThat(alice.keyTransparencyAlarms())
          .extracting(KtAlarm::kind)
          .contains(KtAlarm.Kind.REVIVED_DEVICE);
      assertThat(alice.keyTransparencyAlarms())
          .filteredOn(a -> a.kind() == KtAlarm.Kind.REVIVED_DEVICE)
          .allSatisfy(a -> assertThat(a.evidence()).isNotEmpty()); // the signed search response
      KtStatus status = alice.verify("bob@example.org");
      assertThat(status.provenDevices()).contains(2); // the log does list it...
      assertThat(status.refusedDevices()).containsExactly(2); // ...and alice refuses it
      assertThat(DeviceState.trustedKeys(people.profile("alice-1"), bobAccount))
          .containsOnlyKeys(1);
    }
  }

  @Test
  void aMessageFromADeviceRemovedSinceIsNotShownAndRaisesNoAlarm() throws Exception {
    ServerProcess server = servers.start(Backend.SQLITE);
    try (People people = new People(server, dir.resolve("clients"))) {
      ParleyClient alice = people.register("alice");
      ParleyClient laptop = people.link(alice, "alice-laptop");
      ParleyClient bob = people.register("bob");
      laptop.send("bob@example.org", "from the laptop");
      assertThat(ForgedEnvelopeIT.texts(bob.receive())).containsExactly("from the laptop");

      laptop.send("bob@example.org", "last words"); // queued for bob, then the laptop is removed
      alice.removeDevice(2);
      AuditIT.awaitSize(server, AuditIT.treeSize(server) + 2);
      // bob learns of the removal from the log (here by writing to alice) before he receives
      assertThat(bob.send("alice@example.org", "hi").recipientDevices()).isEqualTo(1);
      List<org.parley.client.ClientEvent> events = bob.receive();

      assertThat(ForgedEnvelopeIT.texts(events)).isEmpty();
      assertThat(events)
          .filteredOn(e -> e instanceof org.parley.client.ClientEvent.EnvelopeRefused)
          .singleElement()
          .satisfies(
              e ->
                  assertThat(((org.parley.client.ClientEvent.EnvelopeRefused) e).reason())
                      .contains("removed that device"));
      assertThat(bob.keyTransparencyAlarms()).isEmpty();
      // the texts, and the removal bob learnt when he proved alice's list for his message
      assertThat(bob.history("alice@example.org", 10))
          .filteredOn(e -> e.kind() == org.parley.client.HistoryEntry.Kind.TEXT)
          .extracting(e -> e.text())
          .containsExactly("from the laptop", "hi");
      assertThat(bob.history("alice@example.org", 10))
          .filteredOn(e -> e.kind() == org.parley.client.HistoryEntry.Kind.DEVICE)
          .singleElement()
          .satisfies(e -> assertThat(e.text()).contains("removed device 2"));
    }
  }

  @Test
  void removingADeviceAndLinkingAnotherRaisesNothing() throws Exception {
    ServerProcess server = servers.start(Backend.SQLITE);
    try (People people = new People(server, dir.resolve("clients"))) {
      ParleyClient alice = people.register("alice");
      ParleyClient bob = people.register("bob");
      people.link(bob, "bob-2");
      assertThat(alice.send("bob@example.org", "to both").recipientDevices()).isEqualTo(2);
      bob.removeDevice(2);
      AuditIT.awaitSize(server, AuditIT.treeSize(server) + 2);
      assertThat(alice.send("bob@example.org", "to one").recipientDevices()).isEqualTo(1);
      people.link(bob, "bob-3");
      assertThat(alice.send("bob@example.org", "to the new one").recipientDevices()).isEqualTo(2);
      assertThat(bob.checkKeyTransparency()).isEmpty();
      assertThat(alice.keyTransparencyAlarms()).isEmpty();
      assertThat(bob.keyTransparencyAlarms()).isEmpty();
    }
  }
}
