package org.parley.client.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.HistoryEntry;
import org.parley.client.HistoryEntry.Direction;
import org.parley.client.HistoryEntry.Kind;
import org.parley.client.store.ContactStore.ContactDevice;
import org.parley.client.store.MessageHistory.NewEntry;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.Handle;
import org.parley.protocol.link.LinkCode;

/** The device's SQLite file without crypto: migrations, transactions, history, restarts. */
class LocalStateTest {
  private static final String ALICE_ACCOUNT = "0b5c7a38-1a5e-4c2a-9f59-3d1f1c2b7e11";

  @TempDir Path dir;

  private DeviceDatabase open() {
    return DeviceDatabase.open(dir.resolve("profile").resolve("device.db"));
  }

  @Test
  void anUnsyncedCommitIsCommittedAndLeavesTheConnectionSynchronous() {
    try (DeviceDatabase db = open()) {
      assertThat(synchronous(db)).isEqualTo(2); // FULL
      long row =
          db.inTransactionUnsynced(
              () -> {
                assertThat(synchronous(db)).isEqualTo(1); // NORMAL for this commit only
                return db.write(
                    c -> {
                      try (var st = c.createStatement()) {
                        st.execute("CREATE TABLE IF NOT EXISTS t (x INTEGER)");
                        st.execute("INSERT INTO t VALUES (42)");
                      }
                      return 1L;
                    });
              });
      assertThat(row).isEqualTo(1L);
      assertThat(synchronous(db)).isEqualTo(2);
      // nested in a transaction it is a savepoint: the outer commit's mode holds
      db.inTransaction(
          () -> db.inTransactionUnsynced(() -> assertThat(synchronous(db)).isEqualTo(2)));
      // a failure rolls back and still leaves FULL
      assertThatThrownBy(
              () ->
                  db.inTransactionUnsynced(
                      () -> {
                        db.write(
                            c -> {
                              try (var st = c.createStatement()) {
                                st.execute("INSERT INTO t VALUES (43)");
                              }
                              return null;
                            });
                        throw new IllegalStateException("undo");
                      }))
          .hasMessage("undo");
      assertThat(synchronous(db)).isEqualTo(2);
    }
    try (DeviceDatabase db = open()) { // reopened: the unsynced commit is there, the undone not
      String values =
          db.read(
              c -> {
                try (var st = c.createStatement();
                    var rs = st.executeQuery("SELECT group_concat(x) FROM t")) {
                  rs.next();
                  return rs.getString(1);
                }
              });
      assertThat(values).isEqualTo("42");
    }
  }

  private static long synchronous(DeviceDatabase db) {
    return db.read(
        c -> {
          try (var st = c.createStatement();
              var rs = st.executeQuery("PRAGMA synchronous")) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }

  @Test
  void createsTheFileOwnerOnlyAndMigratesOnce() throws Exception {
    try (DeviceDatabase db = open()) {
      assertThat(db.schemaVersion()).isEqualTo(16);
    }
    try (DeviceDatabase db = open()) {
      assertThat(db.schemaVersion()).isEqualTo(16);
    }
    Path file = dir.resolve("profile").resolve("device.db");
    if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
      assertThat(Files.getPosixFilePermissions(file))
          .containsExactlyInAnyOrder(
              PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
      assertThat(Files.getPosixFilePermissions(file.getParent()))
          .doesNotContain(PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ);
    }
  }

  @Test
  void refusesAFileFromANewerSchema() throws Exception {
    try (DeviceDatabase db = open()) {
      db.write(c -> c.createStatement().execute("PRAGMA user_version = 99"));
    }
    assertThatThrownBy(this::open).hasMessageContaining("newer Parley");
  }

  @Test
  void anInnerFailureUndoesOnlyTheInnerWrites() {
    try (DeviceDatabase db = open()) {
      MessageHistory history = new MessageHistory(db);
      db.inTransaction(
          () -> {
            history.markProcessed("outer");
            try {
              db.inTransaction(
                  () -> {
                    history.markProcessed("inner");
                    throw new IllegalStateException("boom");
                  });
            } catch (IllegalStateException expected) {
              // the outer transaction goes on
            }
            return null;
          });
      assertThat(history.isProcessed("outer")).isTrue();
      assertThat(history.isProcessed("inner")).isFalse();

      assertThatThrownBy(
              () ->
                  db.inTransaction(
                      () -> {
                        history.markProcessed("rolled-back");
                        throw new IllegalStateException("boom");
                      }))
          .isInstanceOf(IllegalStateException.class);
      assertThat(history.isProcessed("rolled-back")).isFalse();
    }
  }

  @Test
  void historySurvivesARestartAndDropsRepeatedMessageIds() {
    byte[] id = id(1);
    try (DeviceDatabase db = open()) {
      MessageHistory history = new MessageHistory(db);
      OptionalLong first = history.add(text("bob@parley.test", Direction.IN, id, "hi"));
      OptionalLong again = history.add(text("bob@parley.test", Direction.IN, id, "hi"));
      assertThat(first).isPresent();
      assertThat(again).isEmpty();
      history.markProcessed("env-1");
    }
    try (DeviceDatabase db = open()) {
      MessageHistory history = new MessageHistory(db);
      assertThat(history.isProcessed("env-1")).isTrue();
      assertThat(history.isProcessed("env-2")).isFalse();
      List<HistoryEntry> conversation = history.conversation("bob@parley.test", 10);
      assertThat(conversation)
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.text()).isEqualTo("hi");
                assertThat(e.kind()).isEqualTo(Kind.TEXT);
                assertThat(e.direction()).isEqualTo(Direction.IN);
                assertThat(e.delivery()).isEmpty();
              });
      assertThat(history.peers()).containsExactly("bob@parley.test");
    }
  }

  @Test
  void countsDeliveriesPerRecipientDeviceAndOnlyFromThePeer() {
    byte[] id = id(2);
    try (DeviceDatabase db = open()) {
      MessageHistory history = new MessageHistory(db);
      long row = history.add(text("bob@parley.test", Direction.OUT, id, "hello")).getAsLong();
      history.addRecipients(row, ALICE_ACCOUNT, List.of(1, 2));

      assertThat(
              history.markStatus(
                  id, "mallory@parley.test", "mallory@parley.test", ALICE_ACCOUNT, 1, false))
          .isFalse();
      assertThat(
              history.markStatus(id, "bob@parley.test", "bob@parley.test", ALICE_ACCOUNT, 1, false))
          .isTrue();
      assertThat(
              history.markStatus(id, "bob@parley.test", "bob@parley.test", ALICE_ACCOUNT, 1, false))
          .isFalse();
      HistoryEntry entry = history.find(id).orElseThrow();
      assertThat(entry.delivery().orElseThrow().describe())
          .isEqualTo("delivered to 1 of 2 devices");

      history.markStatus(id, "bob@parley.test", "bob@parley.test", ALICE_ACCOUNT, 2, false);
      assertThat(history.find(id).orElseThrow().delivery().orElseThrow().delivered()).isEqualTo(2);
    }
  }

  /**
   * Issue 8, item 1: a receipt that comes before its text is stored (a copy another of our devices
   * sent, still on its way) is kept and counts once the text is stored; one from someone else than
   * the text's peer still does not.
   */
  @Test
  void aReceiptThatComesBeforeItsTextCountsOnceTheTextIsStored() {
    byte[] id = id(3);
    try (DeviceDatabase db = open()) {
      MessageHistory history = new MessageHistory(db);
      assertThat(
              history.markStatus(id, "bob@parley.test", "bob@parley.test", ALICE_ACCOUNT, 1, false))
          .isFalse();
      assertThat(
              history.markStatus(
                  id, "mallory@parley.test", "mallory@parley.test", ALICE_ACCOUNT, 2, false))
          .isFalse();
      long row = history.add(text("bob@parley.test", Direction.OUT, id, "hello")).getAsLong();
      history.markSent(row, ALICE_ACCOUNT, List.of(1, 2));
      assertThat(history.find(id).orElseThrow().delivery().orElseThrow().describe())
          .isEqualTo("delivered to 1 of 2 devices");
    }
  }

  @Test
  void keepsTheDeviceRowAndContactsAcrossRestarts() {
    try (DeviceDatabase db = open()) {
      new DeviceRecordStore(db)
          .save(
              new DeviceRecord.Active(
                  URI.create("http://127.0.0.1:8080"),
                  "laptop",
                  "p".repeat(43),
                  AccountId.of(ALICE_ACCOUNT),
                  Handle.of("alice@parley.test"),
                  DeviceId.of(1)));
      new ContactStore(db)
          .save(
              ALICE_ACCOUNT,
              "alice@parley.test",
              List.of(new ContactDevice(1, 42, new byte[33], "laptop")),
              java.util.Map.of(2, "not in the log"));
    }
    try (DeviceDatabase db = open()) {
      DeviceRecord record = new DeviceRecordStore(db).load().orElseThrow();
      assertThat(record)
          .isEqualTo(
              new DeviceRecord.Active(
                  URI.create("http://127.0.0.1:8080"),
                  "laptop",
                  "p".repeat(43),
                  AccountId.of(ALICE_ACCOUNT),
                  Handle.of("alice@parley.test"),
                  DeviceId.of(1)));
      assertThat(record.toString()).doesNotContain("ppppp");
      assertThat(new ContactStore(db).refused(ALICE_ACCOUNT))
          .isEqualTo(java.util.Map.of(2, "not in the log"));
      assertThat(new ContactStore(db).byHandle("alice@parley.test").orElseThrow().devices())
          .singleElement()
          .satisfies(d -> assertThat(d.registrationId()).isEqualTo(42));
    }
  }

  @Test
  void aLinkRequestIsStoredUntilTheDeviceJoinsAndNothingOfItStaysBehind() {
    LinkCode code = LinkCode.random();
    DeviceRecord.Linking linking =
        new DeviceRecord.Linking(
            URI.create("http://127.0.0.1:8080"),
            "phone",
            "p".repeat(43),
            code,
            Instant.ofEpochMilli(1_700_000_000_000L));
    try (DeviceDatabase db = open()) {
      new DeviceRecordStore(db).save(linking);
    }
    try (DeviceDatabase db = open()) {
      DeviceRecordStore records = new DeviceRecordStore(db);
      assertThat(records.load()).contains(linking);
      assertThat(linking.toString()).doesNotContain("ppppp").doesNotContain(code.value());
      records.save(
          new DeviceRecord.Active(
              linking.server(),
              linking.deviceName(),
              linking.password(),
              AccountId.of(ALICE_ACCOUNT),
              Handle.of("alice@parley.test"),
              DeviceId.of(2)));
      assertThat(records.load()).get().isInstanceOf(DeviceRecord.Active.class);
      // the link columns are cleared, not left over from the request
      boolean cleared =
          db.read(
              c -> {
                try (var st =
                        c.prepareStatement(
                            "SELECT link_code IS NULL AND link_expires_at IS NULL FROM device");
                    var rs = st.executeQuery()) {
                  return rs.next() && rs.getBoolean(1);
                }
              });
      assertThat(cleared).isTrue();
    }
  }

  private static NewEntry text(String peer, Direction direction, byte[] id, String text) {
    return new NewEntry(
        peer,
        Kind.TEXT,
        direction,
        id,
        direction == Direction.IN ? peer : "alice@parley.test",
        1,
        text,
        1_700_000_000_000L,
        null,
        direction == Direction.OUT ? 2 : null);
  }

  private static byte[] id(int n) {
    byte[] id = new byte[32];
    id[0] = 1;
    id[31] = (byte) n;
    return id;
  }
}
