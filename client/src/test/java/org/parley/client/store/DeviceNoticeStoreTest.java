package org.parley.client.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.DeviceNotice;
import org.parley.client.HistoryEntry;
import org.parley.client.HistoryEntry.Direction;
import org.parley.client.HistoryEntry.Kind;
import org.parley.client.store.MessageHistory.NewEntry;
import org.parley.client.store.MessageHistory.NewNotice;

/** Device notices in the history: told once per device, change and key; merged in time order. */
class DeviceNoticeStoreTest {
  private static final String BOB = "5d2c7a38-1a5e-4c2a-9f59-3d1f1c2b7e22";

  @TempDir Path dir;

  @Test
  void aNoticeIsRecordedOnceAndShownInItsConversationInOrder() throws Exception {
    byte[] key = new byte[33];
    key[0] = 5;
    try (DeviceDatabase db = DeviceDatabase.open(dir.resolve("p").resolve("device.db"))) {
      MessageHistory history = new MessageHistory(db);
      history.add(
          new NewEntry(
              "bob@example.org",
              Kind.TEXT,
              Direction.IN,
              new byte[] {1},
              "bob@example.org",
              1,
              "before",
              1,
              1L,
              null));
      Thread.sleep(5); // stored later, in another millisecond
      NewNotice added =
          new NewNotice(
              "bob@example.org", BOB, false, DeviceNotice.Change.ADDED, 3, key, "laptop", 4);
      DeviceNotice notice = history.addNotice(added).orElseThrow();
      assertThat(notice.text())
          .startsWith("bob@example.org added device 3 \"laptop\"")
          .contains("safety number");
      assertThat(history.addNotice(added)).isEmpty(); // the same change again: not told twice
      assertThat(
              history.addNotice(
                  new NewNotice(
                      "bob@example.org", BOB, false, DeviceNotice.Change.REMOVED, 3, key, null, 5)))
          .isPresent();
      assertThat(history.noticedName(BOB, 3, key)).contains("laptop");

      assertThat(history.conversation("bob@example.org", 10))
          .extracting(HistoryEntry::kind)
          .containsExactly(Kind.TEXT, Kind.DEVICE, Kind.DEVICE);
      assertThat(history.conversation("bob@example.org", 2))
          .extracting(HistoryEntry::text)
          .allMatch(t -> t.contains("device 3"));
      assertThat(history.conversation("carol@example.org", 10)).isEmpty();
      assertThat(history.peers()).containsExactly("bob@example.org");
    }
  }
}
