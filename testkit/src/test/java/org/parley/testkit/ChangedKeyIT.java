package org.parley.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.KtAlarm;
import org.parley.client.KtStatus;
import org.parley.client.ParleyClient;
import org.parley.crypto.DeviceCrypto;
import org.parley.crypto.InMemoryProtocolState;

/**
 * Issue 7, item 7: one device whose proven key differs from the key trusted for it before no longer
 * stops every send to the contact. Only that device is refused, the others still get the message,
 * and the person is told what to do; accepting the key after comparing safety numbers brings the
 * device back. (The changed key is made by editing Alice's trust record, as if her client had
 * trusted another key for Bob's device 2 before.) Both sides compute the same safety number, each
 * with its own device's real key.
 */
class ChangedKeyIT {
  @RegisterExtension final Servers servers = new Servers();

  @TempDir Path dir;

  @Test
  void aChangedKeyRefusesOnlyItsDeviceUntilThePersonAcceptsIt() throws Exception {
    ServerProcess server = servers.start(Backend.SQLITE);
    try (People people = new People(server, dir.resolve("clients"))) {
      ParleyClient alice = people.register("alice");
      ParleyClient bob = people.register("bob");
      ParleyClient bob2 = people.link(bob, "bob-2");
      assertThat(alice.send("bob@example.org", "to both").recipientDevices()).isEqualTo(2);
      assertThat(alice.safetyNumber("bob@example.org"))
          .isEqualTo(bob.safetyNumber("alice@example.org"))
          .isEqualTo(bob2.safetyNumber("alice@example.org"));

      String bobAccount = bob.identity().orElseThrow().accountId().value();
      byte[] other = DeviceCrypto.initialize(new InMemoryProtocolState()).identityKey().bytes();
      trustInstead(people.profile("alice-1"), bobAccount, 2, other);

      assertThat(alice.send("bob@example.org", "to one").recipientDevices()).isEqualTo(1);
      String fingerprint = bob2.identity().orElseThrow().fingerprint();
      assertThat(alice.keyTransparencyAlarms())
          .extracting(KtAlarm::kind)
          .containsExactly(KtAlarm.Kind.CHANGED_KEY);
      assertThat(alice.keyTransparencyAlarms().getFirst().message())
          .contains("device 2")
          .contains("parley verify bob@example.org --accept-key 2:" + fingerprint);
      KtStatus status = alice.verify("bob@example.org");
      assertThat(status.refusedDevices()).containsExactly(2);
      assertThat(status.changedKeys()).containsExactly(java.util.Map.entry(2, fingerprint));
      // what alice compares with bob before accepting: the number with the new key, which is his
      assertThat(status.safetyNumber()).isNotEqualTo(bob.safetyNumber("alice@example.org"));
      assertThat(status.safetyNumberWithChangedKeys())
          .contains(bob.safetyNumber("alice@example.org"));
      assertThat(ForgedEnvelopeIT.texts(bob2.receive())).containsExactly("to both");

      // a fingerprint other than the one compared is refused; the one compared is accepted
      assertThatThrownBy(() -> alice.acceptChangedKey("bob@example.org", 2, "A".repeat(22)))
          .isInstanceOf(org.parley.client.ClientException.class)
          .hasMessageContaining("not the");
      alice.acceptChangedKey("bob@example.org", 2, fingerprint);
      assertThat(alice.send("bob@example.org", "to both again").recipientDevices()).isEqualTo(2);
      assertThat(ForgedEnvelopeIT.texts(bob2.receive())).containsExactly("to both again");
      assertThat(alice.verify("bob@example.org").refusedDevices()).isEmpty();
    }
  }

  private static void trustInstead(Path profile, String account, int device, byte[] key) {
    for (String table : new String[] {"remote_identity", "trusted_key"}) {
      assertThat(
              DeviceState.update(
                  profile,
                  "UPDATE "
                      + table
                      + " SET identity_key = ? WHERE account_id = ? AND device_id = ?",
                  key,
                  account,
                  device))
          .isEqualTo(1);
    }
    DeviceState.expireProofs(profile); // the change shows when the list is proven again
  }
}
