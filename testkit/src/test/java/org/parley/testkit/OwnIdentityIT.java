package org.parley.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.ClientException;
import org.parley.client.KtAlarm;
import org.parley.client.KtAlarmException;
import org.parley.client.ParleyClient;
import org.parley.crypto.DeviceCrypto;
import org.parley.crypto.InMemoryProtocolState;

/**
 * Issue 7, item 7 and "beyond the list": what the server says about a device's own identity is not
 * believed. A directory that lists Bob's own device with another key does not change Bob's safety
 * number (it is computed with the device's real key, after checking the log lists it so); a log
 * that lists it with another key is an alarm; and a registration answered with another handle than
 * the one asked for is refused.
 */
class OwnIdentityIT {
  @TempDir Path dir;

  @Test
  void theServersWordAboutThisDevicesOwnKeyAndHandleIsNotTaken() throws Exception {
    try (ServerProcess server =
            ServerProcess.start(
                Backend.SQLITE, dir.resolve("server"), List.of("--kt-test-misbehaviour", "true"));
        People people = new People(server, dir.resolve("clients"))) {
      ParleyClient alice = people.register("alice");
      ParleyClient bob = people.register("bob");
      String expected = alice.safetyNumber("bob@example.org");
      assertThat(bob.safetyNumber("alice@example.org")).isEqualTo(expected);

      String bobAccount = bob.identity().orElseThrow().accountId().value();
      byte[] lie = DeviceCrypto.initialize(new InMemoryProtocolState()).identityKey().bytes();
      Switch misbehave = new Switch(server);
      assertThat(misbehave.directoryKey(bobAccount, 1, lie)).isEqualTo(204);
      assertThat(bob.safetyNumber("alice@example.org")).isEqualTo(expected);
      assertThat(bob.devices()).singleElement().satisfies(d -> assertThat(d.thisDevice()).isTrue());
      assertThat(bob.keyTransparencyAlarms()).isEmpty();

      // now the log itself lists bob's device 1 with another key: bob's safety number refuses
      assertThat(misbehave.ghost(bobAccount, lie, null, 1)).isEqualTo(204);
      AuditIT.awaitSize(server, AuditIT.treeSize(server) + 2);
      assertThatThrownBy(() -> bob.safetyNumber("alice@example.org"))
          .isInstanceOf(KtAlarmException.class)
          .hasMessageContaining("not this device's");
      assertThat(bob.keyTransparencyAlarms())
          .extracting(KtAlarm::kind)
          .contains(KtAlarm.Kind.OWN_KEY_MISMATCH);
      assertThat(bob.checkKeyTransparency())
          .extracting(KtAlarm::kind)
          .contains(
              KtAlarm.Kind
                  .UNAPPROVED_DEVICE); // the owner's monitoring sees the re-keyed device too

      assertThat(misbehave.registerAs("alice@example.org")).isEqualTo(204);
      ParleyClient carol = people.open("carol-1");
      assertThatThrownBy(() -> carol.register(server.uri(), "carol@example.org", "phone"))
          .isInstanceOf(ClientException.class)
          .hasMessageContaining("not carol@example.org");
      assertThat(carol.identity()).isEmpty();
    }
  }
}
