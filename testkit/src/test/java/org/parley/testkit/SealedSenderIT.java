package org.parley.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.ClientEvent;
import org.parley.client.HistoryEntry;
import org.parley.client.KtAlarm;
import org.parley.client.ParleyClient;
import org.parley.crypto.IdentityPublicKey;
import org.parley.crypto.SenderCertificates;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.Handle;

/**
 * Sealed sender end to end (docs/spec/sealed-sender.md): once two people have written to each
 * other, their texts and receipts travel sealed, and the server's tables and log gain nothing that
 * names the sender; a sealed envelope whose certificate the operator made for another key, or under
 * another trust root, is never shown; a rotated credential makes the old holders fall back to named
 * sends until they hear from the device again.
 */
class SealedSenderIT {
  @RegisterExtension final Servers servers = new Servers();

  @TempDir Path dir;

  @AllBackends
  void aSealedConversationLeavesNothingOnTheServerThatNamesTheSender(Backend backend)
      throws Exception {
    ServerProcess server = servers.start(backend);
    try (People people = new People(server, dir.resolve("clients"))) {
      ParleyClient alice = people.register("alice");
      ParleyClient bob = people.register("bob");
      ParleyClient bob2 = people.link(bob, "bob-2");
      String aliceAccount = alice.identity().orElseThrow().accountId().value();
      String bobAccount = bob.identity().orElseThrow().accountId().value();
      // the introductions: each device hands its credential to the people it writes to
      alice.send("bob@example.org", "hi bob");
      ForgedEnvelopeIT.receiveTexts(bob, 1);
      bob2.receive();
      bob.send("alice@example.org", "hi alice");
      bob2.send("alice@example.org", "hi from my laptop");
      ForgedEnvelopeIT.receiveTexts(alice, 2);
      bob.receive();
      bob2.receive();

      byte[] aliceKey = DeviceState.trustedKeys(people.profile("bob-1"), aliceAccount).get(1);
      List<byte[]> aliceNames = names(aliceKey, aliceAccount, "alice@example.org");
      List<String> before = rowsNaming(server, aliceNames);
      assertThat(before).as("the scan finds alice's own account").isNotEmpty();
      int logFrom = server.log().length();

      String secret = "sealed and delivered " + UUID.randomUUID();
      alice.send("bob@example.org", secret);
      // queued, not delivered yet: every envelope for bob is sealed and names nobody
      assertThat(DatabaseScan.envelopeTypes(server, bobAccount))
          .hasSize(2)
          .containsOnly("sealed_sender");
      assertThat(DatabaseScan.envelopeSenders(server, bobAccount)).containsOnly((String) null);
      assertThat(rowsNaming(server, aliceNames)).isEqualTo(before);

      ForgedEnvelopeIT.receiveTexts(bob, 1);
      bob2.receive();
      alice.receive(); // the delivery receipts, sealed too
      assertThat(bob2.history("alice@example.org", 10))
          .extracting(HistoryEntry::text)
          .contains(secret);
      assertThat(alice.history("bob@example.org", 10))
          .filteredOn(e -> e.text().equals(secret))
          .singleElement()
          .satisfies(e -> assertThat(e.delivery().orElseThrow().delivered()).isEqualTo(2));

      assertThat(rowsNaming(server, aliceNames)).isEqualTo(before);
      String log = server.log().substring(logFrom);
      for (byte[] name : aliceNames) {
        assertThat(log).doesNotContain(new String(name, StandardCharsets.UTF_8));
      }
      assertThat(log).doesNotContain(secret);
    }
  }

  @Test
  void aCertificateTheOperatorMadeForAnotherKeyOrUnderAnotherRootIsNeverShown() throws Exception {
    try (ServerProcess server =
            ServerProcess.start(
                Backend.SQLITE, dir.resolve("server"), List.of("--kt-test-misbehaviour", "true"));
        People people = new People(server, dir.resolve("clients"))) {
      ParleyClient alice = people.register("alice");
      ParleyClient bob = people.register("bob");
      String aliceAccount = alice.identity().orElseThrow().accountId().value();
      String bobAccount = bob.identity().orElseThrow().accountId().value();
      alice.send("bob@example.org", "hello bob");
      assertThat(ForgedEnvelopeIT.receiveTexts(bob, 1)).containsExactly("hello bob"); // the control

      // the operator holds the sealed-sender keys: it certifies alice's device with its own key
      Path keys = server.dataDir().resolve("sealed-sender");
      SenderCertificates operatorKeys =
          new SenderCertificates(
              Files.readAllBytes(keys.resolve("trust-root.key")),
              Files.readAllBytes(keys.resolve("signing.key")));
      RogueDevice operator = RogueDevice.register(server.uri(), "operator@example.org");
      long expires = System.currentTimeMillis() + 86_400_000;
      byte[] forgedCertificate =
          operatorKeys.issue(
              AccountId.of(aliceAccount),
              DeviceId.of(1),
              Handle.of("alice@example.org"),
              new IdentityPublicKey(operator.identityKey()),
              expires);
      byte[] body =
          ForgedEnvelopeIT.text("alice@example.org", "bob@example.org", "it is me, sealed");
      Switch misbehave = new Switch(server);
      assertThat(
              misbehave.injectSealed(
                  bobAccount, 1, operator.sealedMessage(bobAccount, 1, forgedCertificate, body)))
          .isEqualTo(200);
      // under a trust root bob never pinned
      SenderCertificates otherRoot =
          new SenderCertificates(
              SenderCertificates.newPrivateKey(), SenderCertificates.newPrivateKey());
      byte[] unrooted =
          otherRoot.issue(
              AccountId.of(aliceAccount),
              DeviceId.of(1),
              Handle.of("alice@example.org"),
              new IdentityPublicKey(operator.identityKey()),
              expires);
      assertThat(
              misbehave.injectSealed(
                  bobAccount, 1, operator.sealedMessage(bobAccount, 1, unrooted, body)))
          .isEqualTo(200);
      // and an honest certificate of alice's, around an envelope not made with her key
      byte[] aliceKey = DeviceState.trustedKeys(people.profile("bob-1"), aliceAccount).get(1);
      byte[] honest =
          operatorKeys.issue(
              AccountId.of(aliceAccount),
              DeviceId.of(1),
              Handle.of("alice@example.org"),
              new IdentityPublicKey(aliceKey),
              expires);
      assertThat(
              misbehave.injectSealed(
                  bobAccount, 1, operator.sealedMessage(bobAccount, 1, honest, body)))
          .isEqualTo(200);

      List<ClientEvent> events = new ArrayList<>(bob.receive());
      assertThat(events)
          .filteredOn(ClientEvent.KeyTransparencyAlarm.class::isInstance)
          .map(e -> ((ClientEvent.KeyTransparencyAlarm) e).alarm().kind())
          .containsExactly(KtAlarm.Kind.FORGED_SENDER);
      assertThat(events)
          .filteredOn(ClientEvent.EnvelopeRefused.class::isInstance)
          .map(Object::toString)
          .satisfiesExactly(
              e -> assertThat(e).contains("trust root"), e -> assertThat(e).contains("damaged"));
      assertThat(bob.history("alice@example.org", 10))
          .extracting(HistoryEntry::text)
          .containsExactly("hello bob");
      assertThat(DeviceState.trustedKeys(people.profile("bob-1"), aliceAccount).get(1))
          .isEqualTo(aliceKey);
      assertThat(DatabaseScan.envelopeIds(server, bobAccount)).isEmpty(); // all acknowledged
    }
  }

  @Test
  void aCertificateNotOfThisDeviceUnderItsPinnedRootIsNotSealedWith() throws Exception {
    try (ServerProcess server =
            ServerProcess.start(
                Backend.SQLITE, dir.resolve("server"), List.of("--kt-test-misbehaviour", "true"));
        People people = new People(server, dir.resolve("clients"))) {
      ParleyClient alice = people.register("alice");
      ParleyClient bob = people.register("bob");
      String aliceAccount = alice.identity().orElseThrow().accountId().value();
      String bobAccount = bob.identity().orElseThrow().accountId().value();
      // the server certifies alice under a root she never pinned: she must not seal with it
      assertThat(new Switch(server).certifyUnderAnotherRoot(aliceAccount)).isEqualTo(204);
      alice.send("bob@example.org", "hi bob");
      ForgedEnvelopeIT.receiveTexts(bob, 1);
      bob.send("alice@example.org", "hi alice");
      ForgedEnvelopeIT.receiveTexts(alice, 1); // her receipt would be her first sealed send
      assertThat(alice.sealedStatus().certificateExpires()).isEmpty(); // none taken
      alice.send("bob@example.org", "still delivered");
      assertThat(lastType(server, bobAccount)).isNotEqualTo("sealed_sender");
      assertThat(ForgedEnvelopeIT.receiveTexts(bob, 1)).containsExactly("still delivered");
    }
  }

  @Test
  void aRotatedCredentialSendsTheOldHoldersBackToNamedSendsUntilTheyHearAgain() throws Exception {
    ServerProcess server = servers.start(Backend.SQLITE);
    try (People people = new People(server, dir.resolve("clients"))) {
      ParleyClient alice = people.register("alice");
      ParleyClient bob = people.register("bob");
      String bobAccount = bob.identity().orElseThrow().accountId().value();
      alice.send("bob@example.org", "hi bob");
      ForgedEnvelopeIT.receiveTexts(bob, 1);
      bob.send("alice@example.org", "hi alice");
      ForgedEnvelopeIT.receiveTexts(alice, 1);
      alice.send("bob@example.org", "sealed one");
      assertThat(lastType(server, bobAccount)).isEqualTo("sealed_sender");
      ForgedEnvelopeIT.receiveTexts(bob, 1);

      bob.rotateDeliveryCredential();
      alice.send("bob@example.org", "after the rotation");
      assertThat(lastType(server, bobAccount)).isNotEqualTo("sealed_sender");
      assertThat(ForgedEnvelopeIT.receiveTexts(bob, 1)).containsExactly("after the rotation");

      bob.send("alice@example.org", "here is my new one");
      ForgedEnvelopeIT.receiveTexts(alice, 1);
      alice.send("bob@example.org", "sealed again");
      assertThat(lastType(server, bobAccount)).isEqualTo("sealed_sender");
      assertThat(ForgedEnvelopeIT.receiveTexts(bob, 1)).containsExactly("sealed again");
    }
  }

  @AllBackends
  void aGroupMessageGoesSealedInOneUploadOnceEveryMemberDeviceHandedOverItsCredential(
      Backend backend) throws Exception {
    ServerProcess server = servers.start(backend);
    try (People people = new People(server, dir.resolve("clients"))) {
      ParleyClient alice1 = people.register("alice");
      ParleyClient alice2 = people.link(alice1, "alice-2");
      ParleyClient bob1 = people.register("bob");
      ParleyClient bob2 = people.link(bob1, "bob-2");
      ParleyClient carol1 = people.register("carol");
      ParleyClient carol2 = people.link(carol1, "carol-2");
      List<ParleyClient> all = List.of(alice1, alice2, bob1, bob2, carol1, carol2);
      String aliceAccount = alice1.identity().orElseThrow().accountId().value();
      String bobAccount = bob1.identity().orElseThrow().accountId().value();
      String carolAccount = carol1.identity().orElseThrow().accountId().value();
      alice1.createGroup("hikers", List.of("bob@example.org", "carol@example.org"));
      for (ParleyClient device : all) {
        device.receive();
      }
      // every device gives its chain (and with it its credential) by sending once
      for (ParleyClient device : all) {
        device.sendToGroup("hikers", "hello from " + device.identity().orElseThrow().deviceId());
        for (ParleyClient other : all) {
          other.receive();
        }
      }

      byte[] aliceKey = DeviceState.trustedKeys(people.profile("bob-1"), aliceAccount).get(1);
      List<byte[]> aliceNames = names(aliceKey, aliceAccount, "alice@example.org");
      String secret = "sealed to the group " + UUID.randomUUID();
      assertThat(alice1.sendToGroup("hikers", secret).devices()).isEqualTo(5);
      for (String other : List.of(bobAccount, carolAccount)) {
        assertThat(DatabaseScan.envelopeTypes(server, other)).containsOnly("sealed_sender");
        assertThat(DatabaseScan.envelopeSenders(server, other)).containsOnly((String) null);
        for (byte[] content : DatabaseScan.envelopeContents(server, other)) {
          for (byte[] name : aliceNames) {
            assertThat(DatabaseScan.indexOf(content, name)).isNegative();
          }
        }
      }
      // alice's own other device gets the named copy, as for a one-to-one text
      assertThat(DatabaseScan.envelopeSenders(server, aliceAccount)).containsOnly(aliceAccount);
      for (ParleyClient device : List.of(alice2, bob1, bob2, carol1, carol2)) {
        assertThat(GroupsIT.texts(device.receive())).containsExactly(secret);
      }
    }
  }

  /** The type of the envelope queued last for the account. */
  private static String lastType(ServerProcess server, String account) {
    return DatabaseScan.envelopeTypes(server, account).getLast();
  }

  /**
   * How alice can be named: her account id, handle and device key, raw and as text encodes them.
   */
  private static List<byte[]> names(byte[] key, String account, String handle) {
    List<byte[]> names = new ArrayList<>();
    names.add(account.getBytes(StandardCharsets.UTF_8));
    names.add(handle.getBytes(StandardCharsets.UTF_8));
    names.add(key);
    names.add(
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(key)
            .getBytes(StandardCharsets.UTF_8));
    names.add(HexFormat.of().formatHex(key).getBytes(StandardCharsets.UTF_8));
    return names;
  }

  /**
   * Every value of every table that holds any of {@code names}, as "table.column=hex", sorted; but
   * the queue's recipient column, which names alice as the recipient of bob's receipts.
   */
  private static List<String> rowsNaming(ServerProcess server, List<byte[]> names) {
    return DatabaseScan.valuesContaining(server, names).stream()
        .filter(v -> !v.startsWith("envelopes.account_id="))
        .toList();
  }
}
