package org.parley.client.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.crypto.Ciphertext;
import org.parley.crypto.DeviceCrypto;
import org.parley.crypto.PreKeyBundle;
import org.parley.crypto.RemoteAddress;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;

/**
 * Forward secrecy on the disk: a consumed one-time prekey and a replaced session (its old chain
 * keys) must leave neither device.db nor device.db-wal, while the database stays open and after it
 * is closed. Each search first finds a record that is still present (the positive control).
 */
class SecureDeleteTest {
  private static final RemoteAddress ALICE =
      new RemoteAddress(AccountId.of("11111111-1111-4111-8111-111111111111"), DeviceId.of(1));
  private static final RemoteAddress BOB =
      new RemoteAddress(AccountId.of("22222222-2222-4222-8222-222222222222"), DeviceId.of(1));
  private static final Duration CHECKPOINT_WAIT = Duration.ofSeconds(10);

  @TempDir Path dir;

  @Test
  void secureDeleteIsOnForEveryConnection() {
    Path file = dir.resolve("p").resolve("device.db");
    for (int i = 0; i < 2; i++) {
      try (DeviceDatabase db = DeviceDatabase.open(file)) {
        assertThat(pragma(db, "PRAGMA secure_delete")).isEqualTo(1);
        assertThat(pragma(db, "PRAGMA temp_store")).isEqualTo(2); // MEMORY
      }
    }
  }

  @Test
  void consumedPreKeysAndReplacedSessionsAreGoneFromTheFileAndTheWal() throws Exception {
    Path bobFile = dir.resolve("bob").resolve("device.db");
    List<byte[]> gone;
    try (DeviceDatabase aliceDb = DeviceDatabase.open(dir.resolve("alice").resolve("device.db"));
        DeviceDatabase bobDb = DeviceDatabase.open(bobFile)) {
      DeviceCrypto alice = DeviceCrypto.initialize(new SqliteProtocolState(aliceDb));
      DeviceCrypto bob = DeviceCrypto.initialize(new SqliteProtocolState(bobDb));
      alice.trustIdentity(BOB, bob.identityKey()); // as the client does for proven keys
      bob.trustIdentity(ALICE, alice.identityKey());
      PreKeyBundle bundle =
          new PreKeyBundle(
              BOB,
              bob.registrationId(),
              bob.identityKey(),
              bob.newSignedPreKey(),
              bob.newPreKeys(1).get(0),
              bob.newKyberPreKeys(1).get(0));
      byte[] preKey =
          stored(bobDb, "SELECT record FROM prekey WHERE key_id = " + bundle.preKey().keyId());
      byte[] kyberPreKey =
          stored(
              bobDb,
              "SELECT record FROM kyber_prekey WHERE key_id = " + bundle.kyberPreKey().keyId());
      // positive control: the search finds records that are present (the Kyber one spans pages)
      // (eventually: a background checkpoint may be moving the page from the WAL to the file
      // between the reads of the two files)
      assertThat(present(bobFile, List.of(preKey))).isTrue();
      assertThat(present(bobFile, RawFiles.distinctiveWindows(kyberPreKey, new byte[0]))).isTrue();

      alice.startSession(bundle);
      bob.decrypt(ALICE, alice.encrypt(BOB, utf8("hello"))); // consumes both one-time keys
      assertThat(new SqliteProtocolState(bobDb).loadPreKey(bundle.preKey().keyId())).isEmpty();
      byte[] firstSession = session(bobDb);
      assertThat(present(bobFile, List.of(firstSession))).isTrue();

      // the ratchet turns: bob's session record is replaced twice
      alice.decrypt(BOB, bob.encrypt(ALICE, utf8("hi")));
      Ciphertext next = alice.encrypt(BOB, utf8("again"));
      bob.decrypt(ALICE, next);
      byte[] currentSession = session(bobDb);

      byte[] live = liveContent(bobDb);
      gone = new ArrayList<>();
      for (byte[] old : List.of(preKey, kyberPreKey, firstSession)) {
        List<byte[]> windows = RawFiles.distinctiveWindows(old, live);
        assertThat(windows).as("bytes only the old record had").isNotEmpty();
        gone.addAll(windows);
      }
      List<byte[]> stillGone = gone;
      // while the database stays open: the checkpoint after those commits ran in the background
      assertThat(RawFiles.eventually(() -> !RawFiles.anyIn(bobFile, stillGone), CHECKPOINT_WAIT))
          .as("old records still in %s after %s", RawFiles.of(bobFile), CHECKPOINT_WAIT)
          .isTrue();
      assertThat(present(bobFile, List.of(currentSession))).isTrue(); // control, again
    }
    assertThat(RawFiles.anyIn(bobFile, gone)).isFalse();
  }

  @Test
  void closingLeavesNoOldSessionInTheFiles() throws Exception {
    Path bobFile = dir.resolve("bob").resolve("device.db");
    byte[] oldSession;
    byte[] live;
    try (DeviceDatabase aliceDb = DeviceDatabase.open(dir.resolve("alice").resolve("device.db"));
        DeviceDatabase bobDb = DeviceDatabase.open(bobFile)) {
      DeviceCrypto alice = DeviceCrypto.initialize(new SqliteProtocolState(aliceDb));
      DeviceCrypto bob = DeviceCrypto.initialize(new SqliteProtocolState(bobDb));
      alice.trustIdentity(BOB, bob.identityKey()); // as the client does for proven keys
      bob.trustIdentity(ALICE, alice.identityKey());
      alice.startSession(
          new PreKeyBundle(
              BOB,
              bob.registrationId(),
              bob.identityKey(),
              bob.newSignedPreKey(),
              null,
              bob.newLastResortKyberPreKey()));
      bob.decrypt(ALICE, alice.encrypt(BOB, utf8("one")));
      oldSession = session(bobDb);
      alice.decrypt(BOB, bob.encrypt(ALICE, utf8("two")));
      live = liveContent(bobDb);
      assertThat(RawFiles.containing(bobFile, session(bobDb))).isNotEmpty();
    }
    List<byte[]> windows = RawFiles.distinctiveWindows(oldSession, live);
    assertThat(windows).isNotEmpty();
    assertThat(RawFiles.anyIn(bobFile, windows)).isFalse();
  }

  /** Every value of every row of every table, concatenated. */
  private static byte[] liveContent(DeviceDatabase db) {
    return db.read(
        c -> {
          ByteArrayOutputStream all = new ByteArrayOutputStream();
          List<String> tables = new ArrayList<>();
          try (var st = c.createStatement();
              var rs = st.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
            while (rs.next()) {
              tables.add(rs.getString(1));
            }
          }
          for (String table : tables) {
            try (var st = c.createStatement();
                var rs = st.executeQuery("SELECT * FROM \"" + table + "\"")) {
              int columns = rs.getMetaData().getColumnCount();
              while (rs.next()) {
                for (int i = 1; i <= columns; i++) {
                  Object value = rs.getObject(i);
                  if (value instanceof byte[] bytes) {
                    all.writeBytes(bytes);
                  } else if (value != null) {
                    all.writeBytes(String.valueOf(value).getBytes(StandardCharsets.UTF_8));
                  }
                  all.write(0);
                }
              }
            }
          }
          return all.toByteArray();
        });
  }

  private static byte[] session(DeviceDatabase db) {
    return new SqliteProtocolState(db).loadSession(ALICE).orElseThrow();
  }

  private static byte[] stored(DeviceDatabase db, String sql) {
    return db.read(
        c -> {
          try (var st = c.createStatement();
              var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getBytes(1);
          }
        });
  }

  private static long pragma(DeviceDatabase db, String sql) {
    return db.read(
        c -> {
          try (var st = c.createStatement();
              var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Whether one of {@code needles} is in the database's files, within the checkpoint wait. */
  private static boolean present(Path file, List<byte[]> needles) throws Exception {
    return RawFiles.eventually(() -> RawFiles.anyIn(file, needles), CHECKPOINT_WAIT);
  }
}
