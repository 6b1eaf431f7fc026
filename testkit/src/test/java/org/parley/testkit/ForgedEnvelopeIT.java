package org.parley.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.ClientEvent;
import org.parley.client.HistoryEntry;
import org.parley.client.KtAlarm;
import org.parley.client.ParleyClient;
import org.parley.content.MimiCodec;
import org.parley.content.MimiContent;
import org.parley.content.ParleyUris;
import org.parley.protocol.AccountId;

/**
 * Issue 7, items 1 and 3: the server forges PreKey messages under a key of its own and labels them
 * as Alice's: from a device Alice does not have, from an account that does not exist, as a copy
 * "sent by" one of Bob's own devices, and from Alice's real device. Bob's client shows none of
 * them, trusts no key from them, holds the unproven ones back for a few epochs and then refuses
 * them with an alarm that keeps the envelope; it never encrypts to the server's key, even once the
 * server publishes that key as a device of Alice's with a junk approval. Alice's honest messages
 * are the control. (The store plays no part in how a message is forged: SQLite only.)
 */
class ForgedEnvelopeIT {
  @RegisterExtension final Servers servers = new Servers();

  private static final Duration DEADLINE = Duration.ofSeconds(30);
  @TempDir Path dir;

  @Test
  void forgedEnvelopesAreNeverShownAndTheirKeysNeverTrusted() throws Exception {
    try (ServerProcess server =
            ServerProcess.start(
                Backend.SQLITE, dir.resolve("server"), List.of("--kt-test-misbehaviour", "true"));
        People people = new People(server, dir.resolve("clients"))) {
      ParleyClient alice = people.register("alice");
      ParleyClient bob = people.register("bob");
      String aliceAccount = alice.identity().orElseThrow().accountId().value();
      String bobAccount = bob.identity().orElseThrow().accountId().value();
      alice.send("bob@example.org", "hello bob");
      assertThat(texts(bob.receive())).containsExactly("hello bob"); // the control
      byte[] aliceKey = DeviceState.trustedKeys(people.profile("bob-1"), aliceAccount).get(1);

      // the operator's own device: its key is the key the server forges under
      RogueDevice operator = RogueDevice.register(server.uri(), "operator@example.org");
      Switch misbehave = new Switch(server);
      byte[] fromAlice = text("alice@example.org", "bob@example.org", "it is me, on a new phone");
      byte[] fromBob = text("bob@example.org", "alice@example.org", "a copy I never sent");
      String random = AccountId.random().value();
      for (String[] forged :
          new String[][] {
            // a device alice does not have, and the id the server then publishes the forged key
            // under (item 3: a key from a forged message must never shortcut the approval check)
            {aliceAccount, "127", "alice@example.org"},
            {random, "1", "alice@example.org"}, // an account that does not exist
            {bobAccount, "126", "bob@example.org"}, // "sent by" another device of bob's
            {aliceAccount, "1", "alice@example.org"}
          }) { // alice's real device, another key
        byte[] body = forged[0].equals(bobAccount) ? fromBob : fromAlice;
        assertThat(
                misbehave.inject(
                    bobAccount,
                    1,
                    forged[0],
                    Integer.parseInt(forged[1]),
                    forged[2],
                    "prekey_message",
                    operator.prekeyMessage(bobAccount, 1, body)))
            .isEqualTo(200);
      }

      List<ClientEvent> events = new ArrayList<>(bob.receive());
      assertThat(events).filteredOn(e -> e instanceof ClientEvent.EnvelopeHeld).hasSize(3);
      assertThat(alarms(events))
          .extracting(KtAlarm::kind)
          .containsExactly(KtAlarm.Kind.FORGED_SENDER);
      // the server also publishes the forged key as alice's device 127 with a junk approval
      assertThat(misbehave.ghost(aliceAccount, operator.identityKey(), null)).isEqualTo(204);
      AuditIT.awaitSize(server, AuditIT.treeSize(server) + 2);
      long deadline = System.nanoTime() + DEADLINE.toNanos();
      while (alarms(events).stream().filter(a -> a.kind() == KtAlarm.Kind.UNPROVEN_SENDER).count()
          < 3) {
        assertThat(System.nanoTime())
            .as("the held envelopes are refused in time")
            .isLessThan(deadline);
        Thread.sleep(300);
        events.addAll(bob.receive());
      }

      assertThat(texts(events)).isEmpty();
      assertThat(events).noneMatch(e -> e instanceof ClientEvent.EnvelopeFailed);
      List<KtAlarm> refused =
          bob.keyTransparencyAlarms().stream()
              .filter(a -> a.kind().wireName().endsWith("_sender"))
              .toList();
      assertThat(refused)
          .extracting(KtAlarm::kind)
          .containsExactlyInAnyOrder(
              KtAlarm.Kind.FORGED_SENDER,
              KtAlarm.Kind.UNPROVEN_SENDER,
              KtAlarm.Kind.UNPROVEN_SENDER,
              KtAlarm.Kind.UNPROVEN_SENDER);
      assertThat(refused)
          .allSatisfy(
              a -> {
                assertThat(a.subject()).isEqualTo("server");
                assertThat(new String(a.evidence(), StandardCharsets.UTF_8))
                    .contains("\"sourceHandle\"", "\"content\""); // the envelope itself is kept
              });
      // nothing is shown as alice's (or as bob's own), not even an error entry
      assertThat(bob.history("alice@example.org", 10))
          .extracting(HistoryEntry::text)
          .containsExactly("hello bob");
      assertThat(bob.conversations()).containsExactly("alice@example.org");
      // no key of the server's was stored: alice's real device alone is trusted
      Path bobState = people.profile("bob-1");
      assertThat(DeviceState.trustedKeys(bobState, aliceAccount)).containsOnlyKeys(1);
      assertThat(DeviceState.trustedKeys(bobState, aliceAccount).get(1)).isEqualTo(aliceKey);
      assertThat(DeviceState.trustedKeys(bobState, random)).isEmpty();
      assertThat(DeviceState.trustsKey(bobState, operator.identityKey())).isFalse();
      // and bob encrypts to alice's real device only, never to the server's key
      assertThat(bob.send("alice@example.org", "reply").recipientDevices()).isEqualTo(1);
      assertThat(bob.keyTransparencyAlarms())
          .extracting(KtAlarm::kind)
          .contains(KtAlarm.Kind.UNAPPROVED_DEVICE);
      assertThat(texts(alice.receive())).containsExactly("reply");
      // every forged envelope was acknowledged in the end: only alice's receipt is left
      assertThat(bob.receive()).allMatch(e -> e instanceof ClientEvent.DeliveryConfirmed);
    }
  }

  @Test
  void anHonestNewDeviceIsHeldOnlyUntilTheLogPublishesIt() throws Exception {
    ServerProcess server = servers.start(Backend.SQLITE);
    try (People people = new People(server, dir.resolve("clients"))) {
      ParleyClient alice = people.register("alice");
      ParleyClient bob = people.register("bob");
      alice.send("bob@example.org", "from the phone");
      ParleyClient laptop = people.link(alice, "alice-laptop");
      laptop.send("bob@example.org", "from the laptop");
      List<ClientEvent> events = new ArrayList<>(bob.receive());
      long deadline = System.nanoTime() + DEADLINE.toNanos();
      while (texts(events).size() < 2) {
        assertThat(System.nanoTime()).isLessThan(deadline);
        Thread.sleep(200);
        events.addAll(bob.receive());
      }
      assertThat(texts(events)).containsExactly("from the phone", "from the laptop");
      assertThat(bob.keyTransparencyAlarms()).isEmpty();
      assertThat(
              new Switch(server)
                  .inject(
                      AccountId.random().value(),
                      1,
                      AccountId.random().value(),
                      1,
                      "alice@example.org",
                      "message",
                      new byte[] {1}))
          .as("no switch on an honest server")
          .isEqualTo(404);
    }
  }

  static byte[] text(String from, String to, String text) {
    return MimiCodec.encode(
        MimiContent.text(ParleyUris.user(from), ParleyUris.directRoom(from, to), text));
  }

  static List<String> texts(List<ClientEvent> events) {
    return ConversationIT.texts(events, ClientEvent.MessageReceived.class);
  }

  /**
   * The texts {@code client} receives until it has {@code count} of them: a receiver holds an
   * envelope back until the log publishes its sender's device (an epoch after registering), and
   * shows it at a later receive.
   */
  static List<String> receiveTexts(ParleyClient client, int count) {
    List<String> texts = new java.util.ArrayList<>();
    ListenerReconnectIT.awaitTrue(
        () -> {
          texts.addAll(texts(client.receive()));
          return texts.size() >= count;
        },
        () -> "texts so far: " + texts);
    return texts;
  }

  static List<KtAlarm> alarms(List<ClientEvent> events) {
    return events.stream()
        .filter(e -> e instanceof ClientEvent.KeyTransparencyAlarm)
        .map(e -> ((ClientEvent.KeyTransparencyAlarm) e).alarm())
        .toList();
  }
}
