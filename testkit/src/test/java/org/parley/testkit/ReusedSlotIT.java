package org.parley.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.ClientException;
import org.parley.client.ParleyClient;

/**
 * Issue 8 item 7: a removed device's id is handed out again, and its new holder is a new device (a
 * new link serial), not the old one with a changed key. A contact who talked with the old device
 * forgets it (key and session), checks the new one like any new device, sends to it and reads its
 * messages, without an alarm; the old device gets nothing more.
 */
class ReusedSlotIT {
  @RegisterExtension final Servers servers = new Servers();

  @TempDir Path dir;

  @Test
  void aContactTalksWithTheNewDeviceInAReusedSlotAndNotWithTheOldOne() throws Exception {
    ServerProcess server = servers.start(Backend.SQLITE);
    try (People people = new People(server, dir.resolve("clients"))) {
      ParleyClient bob = people.register("bob");
      ParleyClient carol = people.register("carol");
      ParleyClient old = people.link(bob, "bob-old");
      assertThat(old.identity().orElseThrow().deviceId().value()).isEqualTo(2);
      // carol and the old device 2 have sessions both ways
      assertThat(carol.send("bob@example.org", "to both").recipientDevices()).isEqualTo(2);
      assertThat(ForgedEnvelopeIT.texts(old.receive())).contains("to both");
      old.send("carol@example.org", "from the old one");
      assertThat(ForgedEnvelopeIT.texts(carol.receive())).contains("from the old one");

      // bob's first device reads what the old device 2 sent before it goes (see below for what
      // happens when such a message is still queued)
      assertThat(
              ConversationIT.texts(
                  bob.receive(), org.parley.client.ClientEvent.SentCopyReceived.class))
          .contains("from the old one");

      bob.removeDevice(2);
      ParleyClient fresh = people.link(bob, "bob-new");
      assertThat(fresh.identity().orElseThrow().deviceId().value()).isEqualTo(2);

      assertThat(carol.send("bob@example.org", "to the new one").recipientDevices()).isEqualTo(2);
      assertThat(ForgedEnvelopeIT.texts(fresh.receive())).containsExactly("to the new one");
      assertThatThrownBy(old::receive).isInstanceOf(ClientException.class);
      fresh.send("carol@example.org", "from the new one");
      assertThat(ForgedEnvelopeIT.texts(carol.receive())).containsExactly("from the new one");
      // bob's first device reads both, the new device's own message as its sent copy, and refuses
      // nothing from the new holder of id 2
      var seenByBob = bob.receive();
      assertThat(ForgedEnvelopeIT.texts(seenByBob)).contains("to the new one");
      assertThat(
              ConversationIT.texts(seenByBob, org.parley.client.ClientEvent.SentCopyReceived.class))
          .contains("from the new one");
      assertThat(seenByBob)
          .noneMatch(
              e ->
                  e instanceof org.parley.client.ClientEvent.EnvelopeRefused
                      || e instanceof org.parley.client.ClientEvent.EnvelopeFailed);

      assertThat(carol.verify("bob@example.org").refusedDevices()).isEmpty();
      assertThat(
              List.of(
                  bob.keyTransparencyAlarms(),
                  carol.keyTransparencyAlarms(),
                  fresh.keyTransparencyAlarms()))
          .allMatch(List::isEmpty);
    }
  }

  /**
   * A message the old device 2 sent before its removal, still queued when its id already belongs to
   * a new device, is a removed device's message, not a forgery: not shown (nothing proves it was
   * sent before the removal) and no alarm, both for the owner's device that removed it (it retires
   * the removed key at once) and for a contact that never knew the old device (it finds the slot's
   * former holder in the log's earlier versions).
   */
  @Test
  void aQueuedMessageFromTheOldHolderOfAnIdIsNotAForgery() throws Exception {
    ServerProcess server = servers.start(Backend.SQLITE);
    try (People people = new People(server, dir.resolve("clients"))) {
      ParleyClient bob = people.register("bob");
      ParleyClient carol = people.register("carol");
      ParleyClient old = people.link(bob, "bob-old");
      old.send("carol@example.org", "from the old one"); // and a copy queued for bob's device 1
      bob.removeDevice(2);
      people.link(bob, "bob-new");

      var seenByBob = bob.receive();
      var seenByCarol = carol.receive();

      assertThat(bob.keyTransparencyAlarms()).isEmpty();
      assertThat(carol.keyTransparencyAlarms()).isEmpty();
      assertThat(ForgedEnvelopeIT.texts(seenByCarol)).doesNotContain("from the old one");
      for (var events : List.of(seenByBob, seenByCarol)) {
        assertThat(events)
            .anySatisfy(
                e ->
                    assertThat(e)
                        .isInstanceOfSatisfying(
                            org.parley.client.ClientEvent.EnvelopeRefused.class,
                            r -> assertThat(r.reason()).contains("removed")));
      }
    }
  }
}
