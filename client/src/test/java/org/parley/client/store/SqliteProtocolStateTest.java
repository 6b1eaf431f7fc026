package org.parley.client.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.crypto.Ciphertext;
import org.parley.crypto.DeviceCrypto;
import org.parley.crypto.DuplicateCiphertextException;
import org.parley.crypto.KyberPreKeyPublic;
import org.parley.crypto.PreKeyBundle;
import org.parley.crypto.PreKeyPublic;
import org.parley.crypto.RemoteAddress;
import org.parley.crypto.SignedPreKeyPublic;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;

/** The crypto module over two SQLite files: sessions, prekeys and identities survive restarts. */
class SqliteProtocolStateTest {
  private static final RemoteAddress ALICE =
      new RemoteAddress(AccountId.of("11111111-1111-4111-8111-111111111111"), DeviceId.of(1));
  private static final RemoteAddress BOB =
      new RemoteAddress(AccountId.of("22222222-2222-4222-8222-222222222222"), DeviceId.of(1));

  @TempDir Path dir;

  private DeviceDatabase db(String name) {
    return DeviceDatabase.open(dir.resolve(name).resolve("device.db"));
  }

  @Test
  void aConversationContinuesAfterBothSidesRestart() throws Exception {
    byte[] firstMessage;
    try (DeviceDatabase aliceDb = db("alice");
        DeviceDatabase bobDb = db("bob")) {
      DeviceCrypto alice = DeviceCrypto.initialize(new SqliteProtocolState(aliceDb));
      DeviceCrypto bob = DeviceCrypto.initialize(new SqliteProtocolState(bobDb));
      alice.trustIdentity(BOB, bob.identityKey()); // as the client does for keys the log proved
      bob.trustIdentity(ALICE, alice.identityKey());
      alice.startSession(bundleOf(bob, BOB, false));
      Ciphertext hello = alice.encrypt(BOB, utf8("hello"));
      assertThat(hello.type()).isEqualTo(Ciphertext.Type.PREKEY_MESSAGE);
      firstMessage = hello.body();
      assertThat(new String(bob.decrypt(ALICE, hello), StandardCharsets.UTF_8)).isEqualTo("hello");
    }
    try (DeviceDatabase aliceDb = db("alice");
        DeviceDatabase bobDb = db("bob")) {
      DeviceCrypto alice = DeviceCrypto.initialize(new SqliteProtocolState(aliceDb));
      DeviceCrypto bob = DeviceCrypto.initialize(new SqliteProtocolState(bobDb));
      assertThat(bob.hasSession(ALICE)).isTrue();
      Ciphertext reply = bob.encrypt(ALICE, utf8("hi alice"));
      assertThat(new String(alice.decrypt(BOB, reply), StandardCharsets.UTF_8))
          .isEqualTo("hi alice");
      Ciphertext next = alice.encrypt(BOB, utf8("again"));
      assertThat(next.type()).isEqualTo(Ciphertext.Type.MESSAGE);
      assertThat(new String(bob.decrypt(ALICE, next), StandardCharsets.UTF_8)).isEqualTo("again");
      // the first message again: its keys are used up, so it is a duplicate, not a new message
      assertThatThrownBy(
              () ->
                  bob.decrypt(ALICE, new Ciphertext(Ciphertext.Type.PREKEY_MESSAGE, firstMessage)))
          .isInstanceOf(DuplicateCiphertextException.class);
    }
  }

  @Test
  void aReplayedFirstMessageAgainstTheLastResortKeyIsRefusedEvenAfterARestart() throws Exception {
    Ciphertext first;
    try (DeviceDatabase aliceDb = db("alice");
        DeviceDatabase bobDb = db("bob")) {
      DeviceCrypto alice = DeviceCrypto.initialize(new SqliteProtocolState(aliceDb));
      DeviceCrypto bob = DeviceCrypto.initialize(new SqliteProtocolState(bobDb));
      alice.trustIdentity(BOB, bob.identityKey());
      bob.trustIdentity(ALICE, alice.identityKey());
      alice.startSession(bundleOf(bob, BOB, true));
      first = alice.encrypt(BOB, utf8("hello"));
      bob.decrypt(ALICE, first);
      // bob loses the session (say, reset), so only the recorded base key stops the replay
      bob.deleteSession(ALICE);
    }
    try (DeviceDatabase bobDb = db("bob")) {
      DeviceCrypto bob = DeviceCrypto.initialize(new SqliteProtocolState(bobDb));
      Ciphertext replay = first;
      assertThatThrownBy(() -> bob.decrypt(ALICE, replay))
          .isInstanceOf(DuplicateCiphertextException.class);
    }
  }

  /**
   * A bundle as the server would hand out: one-time EC key, and a one-time or last-resort Kyber
   * key.
   */
  private static PreKeyBundle bundleOf(
      DeviceCrypto device, RemoteAddress address, boolean lastResort) {
    SignedPreKeyPublic signed = device.newSignedPreKey();
    PreKeyPublic preKey = lastResort ? null : device.newPreKeys(1).get(0);
    KyberPreKeyPublic kyber =
        lastResort ? device.newLastResortKyberPreKey() : device.newKyberPreKeys(1).get(0);
    return new PreKeyBundle(
        address, device.registrationId(), device.identityKey(), signed, preKey, kyber);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
