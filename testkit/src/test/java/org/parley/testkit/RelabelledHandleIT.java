package org.parley.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.ClientEvent;
import org.parley.client.HistoryEntry;
import org.parley.client.KtAlarm;
import org.parley.client.ParleyClient;

/**
 * Issue 7, item 2: the server takes a message from an account it controls (Mallory's: proven keys,
 * valid approvals) and labels it, and Mallory's device list, as Alice's. Bob's client checks the
 * label against the log, which binds alice@ to Alice's account: the message is refused with an
 * alarm, nothing appears in Alice's conversation, and Bob's contact for Alice is untouched. The
 * same message unlabelled is the control. (SQLite only: storage plays no part.)
 */
class RelabelledHandleIT {
  @TempDir Path dir;

  @Test
  void aMessageRelabelledAsAnotherHandleIsRefused() throws Exception {
    try (ServerProcess server =
            ServerProcess.start(
                Backend.SQLITE, dir.resolve("server"), List.of("--kt-test-misbehaviour", "true"));
        People people = new People(server, dir.resolve("clients"))) {
      ParleyClient alice = people.register("alice");
      ParleyClient bob = people.register("bob");
      ParleyClient mallory = people.register("mallory");
      String aliceAccount = alice.identity().orElseThrow().accountId().value();
      String malloryAccount = mallory.identity().orElseThrow().accountId().value();
      alice.send("bob@example.org", "hi bob, alice here");
      mallory.send("bob@example.org", "hi bob, mallory here"); // the control
      assertThat(ForgedEnvelopeIT.texts(bob.receive()))
          .containsExactly("hi bob, alice here", "hi bob, mallory here");

      assertThat(new Switch(server).relabel(malloryAccount, "alice@example.org")).isEqualTo(204);
      // mallory's client proves its own list again (as 30 epochs later) and meets the new name
      DeviceState.expireProofs(people.profile("mallory-1"));
      mallory.send("bob@example.org", "alice again: please send the money to mallory");
      List<ClientEvent> events = bob.receive();

      assertThat(ForgedEnvelopeIT.texts(events)).isEmpty();
      assertThat(ForgedEnvelopeIT.alarms(events))
          .extracting(KtAlarm::kind)
          .containsExactly(KtAlarm.Kind.HANDLE_MISMATCH);
      assertThat(
              new String(
                  ForgedEnvelopeIT.alarms(events).getFirst().evidence(),
                  java.nio.charset.StandardCharsets.UTF_8))
          .contains("alice@example.org")
          .contains(malloryAccount); // the envelope as delivered is kept
      assertThat(bob.history("alice@example.org", 10))
          .extracting(HistoryEntry::text)
          .containsExactly("hi bob, alice here");
      assertThat(bob.history("mallory@example.org", 10))
          .extracting(HistoryEntry::text)
          .containsExactly("hi bob, mallory here");
      // the cache still binds each handle to its own account, as the log proves
      Path bobState = people.profile("bob-1");
      assertThat(DeviceState.contactHandle(bobState, aliceAccount)).isEqualTo("alice@example.org");
      assertThat(DeviceState.contactHandle(bobState, malloryAccount))
          .isEqualTo("mallory@example.org");
      assertThat(bob.verify("alice@example.org").accountId()).isEqualTo(aliceAccount);
      assertThat(bob.send("alice@example.org", "still you?").recipientDevices()).isEqualTo(1);
      assertThat(ForgedEnvelopeIT.texts(alice.receive())).containsExactly("still you?");
      // mallory's own client refuses the server's new name for its account too
      assertThat(mallory.keyTransparencyAlarms())
          .extracting(KtAlarm::kind)
          .contains(KtAlarm.Kind.HANDLE_MISMATCH);
    }
  }
}
