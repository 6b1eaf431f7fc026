package org.parley.client.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.ClientException;
import org.parley.client.HistoryEntry;
import org.parley.client.HistoryEntry.Direction;
import org.parley.client.HistoryEntry.Kind;
import org.parley.client.Passphrase;
import org.parley.client.PassphraseException;
import org.parley.client.PassphraseException.Problem;
import org.parley.client.ProfilePassphrase;
import org.parley.client.store.MessageHistory.NewEntry;
import org.parley.crypto.DeviceCrypto;
import org.parley.crypto.LocalIdentity;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.Handle;

/**
 * A profile under a passphrase: its raw files hold none of the password, the texts or the identity
 * private key (the same search finds all three in a profile without one); a wrong passphrase opens
 * nothing; a value moved to another row does not open.
 */
class EncryptedProfileTest {
  private static final String PASSWORD = "s3rver-Password-Of-This-Device-9f2c";
  private static final String TEXT = "meet me at the old mill at nine";
  private static final String PEER = "bob@parley.test";

  @TempDir Path dir;

  private Path profile() {
    return dir.resolve("profile");
  }

  private Path file() {
    return profile().resolve("device.db");
  }

  private static Optional<Passphrase> pass(String text) {
    return Optional.of(Passphrase.of(text.toCharArray()));
  }

  /** The secrets a device keeps, written through the stores as the client writes them. */
  private record Secrets(
      byte[] privateKey, String password, String text, byte[] own, byte[] contacts) {}

  private static final org.parley.crypto.RemoteAddress CONTACT =
      new org.parley.crypto.RemoteAddress(
          AccountId.of("7d3e2f1a-0b9c-4d8e-a7f6-5e4d3c2b1a09"), DeviceId.of(2));

  private static byte[] random32() {
    byte[] b = new byte[32];
    new java.security.SecureRandom().nextBytes(b);
    return b;
  }

  private static Secrets fill(DeviceDatabase db) {
    SqliteProtocolState state = new SqliteProtocolState(db);
    DeviceCrypto crypto = DeviceCrypto.initialize(state);
    crypto.newSignedPreKey();
    crypto.newPreKeys(3);
    crypto.newKyberPreKeys(1);
    new DeviceRecordStore(db)
        .save(
            new DeviceRecord.Active(
                URI.create("http://127.0.0.1:1"),
                "laptop",
                PASSWORD,
                AccountId.of("0b5c7a38-1a5e-4c2a-9f59-3d1f1c2b7e11"),
                Handle.of("alice@parley.test"),
                DeviceId.of(1)));
    new MessageHistory(db)
        .add(
            new NewEntry(
                PEER, Kind.TEXT, Direction.IN, new byte[] {1}, PEER, 1, TEXT, 1L, 2L, null));
    SealedStore sealed = new SealedStore(db);
    byte[] root = new byte[33];
    root[0] = 5;
    sealed.pinTrustRoot(root);
    byte[] own = random32();
    sealed.newOwnCredential(own);
    byte[] contacts = random32();
    sealed.saveCredential(CONTACT, contacts);
    return new Secrets(
        privateKey(state.loadLocalIdentity().orElseThrow()), PASSWORD, TEXT, own, contacts);
  }

  /** The private key inside libsignal's serialized pair: 0A 21 (public, 33) 12 20 (private, 32). */
  private static byte[] privateKey(LocalIdentity identity) {
    byte[] pair = identity.serializedKeyPair();
    assertThat(pair).hasSize(69);
    assertThat(pair[35]).isEqualTo((byte) 0x12);
    assertThat(pair[36]).isEqualTo((byte) 0x20);
    return Arrays.copyOfRange(pair, 37, 69);
  }

  private void assertNoneInTheFiles(Secrets s) {
    assertThat(RawFiles.of(file())).isNotEmpty();
    assertThat(RawFiles.containing(file(), s.privateKey())).as("identity private key").isEmpty();
    assertThat(RawFiles.containing(file(), s.password())).as("password").isEmpty();
    assertThat(RawFiles.containing(file(), s.text())).as("message text").isEmpty();
    assertThat(RawFiles.containing(file(), s.own())).as("delivery credential").isEmpty();
    assertThat(RawFiles.containing(file(), s.contacts())).as("a contact's credential").isEmpty();
  }

  private void assertAllInTheFiles(Secrets s) {
    assertThat(RawFiles.containing(file(), s.privateKey())).as("identity private key").isNotEmpty();
    assertThat(RawFiles.containing(file(), s.password())).as("password").isNotEmpty();
    assertThat(RawFiles.containing(file(), s.text())).as("message text").isNotEmpty();
  }

  private static void assertReadable(DeviceDatabase db, Secrets s) {
    assertThat(privateKey(new SqliteProtocolState(db).loadLocalIdentity().orElseThrow()))
        .isEqualTo(s.privateKey());
    assertThat(new DeviceRecordStore(db).load().orElseThrow().password()).isEqualTo(s.password());
    assertThat(new MessageHistory(db).conversation(PEER, 10))
        .singleElement()
        .satisfies(e -> assertThat(e.text()).isEqualTo(s.text()));
    SealedStore sealed = new SealedStore(db);
    assertThat(sealed.ownCredential().orElseThrow().credential()).isEqualTo(s.own());
    assertThat(sealed.credentialOf(CONTACT)).contains(s.contacts());
  }

  @Test
  void withoutAPassphraseTheSecretsAreInTheClear() {
    // the positive control of the searches below
    Secrets s;
    try (DeviceDatabase db = DeviceDatabase.open(file())) {
      s = fill(db);
      assertThat(db.encrypted()).isFalse();
    }
    assertAllInTheFiles(s);
  }

  @Test
  void anEncryptedProfileKeepsNoSecretInTheClear() {
    Secrets s;
    try (DeviceDatabase db = DeviceDatabase.open(file(), pass("a long passphrase"))) {
      assertThat(db.encrypted()).isTrue();
      s = fill(db);
      assertNoneInTheFiles(s); // the WAL too, while open
    }
    assertNoneInTheFiles(s);
    try (DeviceDatabase db = DeviceDatabase.open(file(), pass("a long passphrase"))) {
      assertReadable(db, s);
    }
  }

  @Test
  void aWrongOrMissingPassphraseOpensNothing() {
    try (DeviceDatabase db = DeviceDatabase.open(file(), pass("right one"))) {
      fill(db);
    }
    assertThatThrownBy(() -> DeviceDatabase.open(file(), pass("wrong one")))
        .isInstanceOfSatisfying(
            PassphraseException.class, e -> assertThat(e.problem()).isEqualTo(Problem.WRONG))
        .hasMessage("wrong passphrase for this profile");
    assertThatThrownBy(() -> DeviceDatabase.open(file()))
        .isInstanceOfSatisfying(
            PassphraseException.class, e -> assertThat(e.problem()).isEqualTo(Problem.REQUIRED));
  }

  @Test
  void aPassphraseForAProfileWithoutOneIsRefused() {
    try (DeviceDatabase db = DeviceDatabase.open(file())) {
      fill(db);
    }
    assertThatThrownBy(() -> DeviceDatabase.open(file(), pass("anything")))
        .isInstanceOfSatisfying(
            PassphraseException.class,
            e -> assertThat(e.problem()).isEqualTo(Problem.NOT_ENCRYPTED));
  }

  @Test
  void setChangeAndRemoveRewriteTheProfileInPlace() {
    Secrets s;
    try (DeviceDatabase db = DeviceDatabase.open(file())) {
      s = fill(db);
    }
    assertAllInTheFiles(s);

    ProfilePassphrase.set(profile(), Passphrase.of("first".toCharArray()));
    assertNoneInTheFiles(s);
    assertThatThrownBy(() -> ProfilePassphrase.set(profile(), Passphrase.of("again".toCharArray())))
        .isInstanceOfSatisfying(
            PassphraseException.class,
            e -> assertThat(e.problem()).isEqualTo(Problem.ALREADY_ENCRYPTED));
    try (DeviceDatabase db = DeviceDatabase.open(file(), pass("first"))) {
      assertReadable(db, s);
    }

    byte[] firstKeyRow = wrappedKey();
    ProfilePassphrase.change(
        profile(), Passphrase.of("first".toCharArray()), Passphrase.of("second".toCharArray()));
    assertThat(wrappedKey()).isNotEqualTo(firstKeyRow);
    assertThatThrownBy(() -> DeviceDatabase.open(file(), pass("first")))
        .isInstanceOf(PassphraseException.class);
    assertNoneInTheFiles(s);
    try (DeviceDatabase db = DeviceDatabase.open(file(), pass("second"))) {
      assertReadable(db, s);
    }

    ProfilePassphrase.remove(profile(), Passphrase.of("second".toCharArray()));
    try (DeviceDatabase db = DeviceDatabase.open(file())) {
      assertThat(db.encrypted()).isFalse();
      assertReadable(db, s);
    }
  }

  @Test
  void valuesMovedBetweenRowsOrColumnsDoNotOpen() {
    try (DeviceDatabase db = DeviceDatabase.open(file(), pass("p"))) {
      SqliteProtocolState state = new SqliteProtocolState(db);
      DeviceCrypto crypto = DeviceCrypto.initialize(state);
      List<Integer> ids = crypto.newPreKeys(2).stream().map(k -> k.keyId()).toList();
      fill(db);
      MessageHistory history = new MessageHistory(db);
      history.add(
          new NewEntry(
              PEER,
              Kind.TEXT,
              Direction.OUT,
              new byte[] {2},
              "alice@parley.test",
              1,
              "two",
              3L,
              4L,
              1));

      assertThat(state.loadPreKey(ids.get(0))).isPresent(); // control
      sql(
          db,
          "UPDATE prekey SET record = (SELECT record FROM prekey WHERE key_id = "
              + ids.get(0)
              + ") WHERE key_id = "
              + ids.get(1));
      assertThatThrownBy(() -> state.loadPreKey(ids.get(1)))
          .isInstanceOf(ClientException.class)
          .hasMessageContaining("prekey.record of row " + ids.get(1))
          .hasMessageContaining("moved from another row");

      // a link request's code is sealed for its column: the password moved there does not open
      sql(db, "UPDATE device SET state = 'linking', link_code = password");
      assertThatThrownBy(() -> new DeviceRecordStore(db).load())
          .isInstanceOf(ClientException.class)
          .hasMessageContaining("device.link_code");

      sql(
          db,
          "UPDATE message SET body = (SELECT body FROM message WHERE mimi_id = x'01') WHERE mimi_id = x'02'");
      assertThatThrownBy(() -> history.conversation(PEER, 10))
          .isInstanceOf(ClientException.class)
          .hasMessageContaining("message.body");
    }
  }

  @Test
  void aTextMovedToAnotherConversationOrSenderDoesNotOpen() {
    try (DeviceDatabase db = DeviceDatabase.open(file(), pass("p"))) {
      MessageHistory history = new MessageHistory(db);
      history.add(
          new NewEntry(
              PEER, Kind.TEXT, Direction.IN, new byte[] {3}, PEER, 1, "mine", 3L, 4L, null));
      assertThat(history.conversation(PEER, 10))
          .extracting(HistoryEntry::text)
          .containsExactly("mine"); // control
      sql(db, "UPDATE message SET peer = 'mallory@parley.test' WHERE mimi_id = x'03'");
      assertThatThrownBy(() -> history.conversation("mallory@parley.test", 10))
          .isInstanceOf(ClientException.class)
          .hasMessageContaining("message.body");
      sql(
          db,
          "UPDATE message SET peer = '"
              + PEER
              + "', sender_handle = 'mallory@parley.test'"
              + " WHERE mimi_id = x'03'");
      assertThatThrownBy(() -> history.conversation(PEER, 10))
          .isInstanceOf(ClientException.class)
          .hasMessageContaining("message.body");
    }
  }

  @Test
  void anotherProcessSettingThePassphraseStopsThisOne() {
    try (DeviceDatabase db = DeviceDatabase.open(file())) {
      fill(db);
      ProfilePassphrase.set(profile(), Passphrase.of("set elsewhere".toCharArray()));
      assertThatThrownBy(() -> new MessageHistory(db).markProcessed("env-1"))
          .isInstanceOf(ClientException.class)
          .hasMessageContaining("another Parley process");
      assertThatThrownBy(() -> new DeviceRecordStore(db).load())
          .isInstanceOf(ClientException.class)
          .hasMessageContaining("another Parley process");
    }
  }

  /** The stored, wrapped profile key, read with plain JDBC. */
  private byte[] wrappedKey() {
    try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file());
        var st = c.createStatement();
        var rs = st.executeQuery("SELECT wrapped_key FROM profile_key")) {
      rs.next();
      return rs.getBytes(1);
    } catch (java.sql.SQLException e) {
      throw new AssertionError(e);
    }
  }

  private static void sql(DeviceDatabase db, String sql) {
    db.write(c -> c.createStatement().executeUpdate(sql));
  }
}
