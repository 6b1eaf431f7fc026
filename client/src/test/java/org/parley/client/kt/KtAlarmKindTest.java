package org.parley.client.kt;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.KtAlarm;
import org.parley.client.store.DeviceDatabase;

/**
 * The names alarm kinds are printed and stored by: stable (device.db keeps them, scripts read them
 * in {@code --json}), and each listed in client/README.md.
 */
class KtAlarmKindTest {
  private static final Path README = Path.of("README.md");

  @TempDir Path dir;

  @Test
  void everyKindReadsBackFromItsName() {
    for (KtAlarm.Kind kind : KtAlarm.Kind.values()) {
      assertThat(KtAlarm.Kind.fromWireName(kind.wireName())).isSameAs(kind);
      assertThat(kind.toString()).isEqualTo(kind.wireName());
    }
    assertThatThrownBy(() -> KtAlarm.Kind.fromWireName("UNAPPROVED_DEVICE"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theNamesAreTheOnesEarlierVersionsStored() {
    // changing one would make the alarms that profiles stored unreadable
    assertThat(Arrays.stream(KtAlarm.Kind.values()).map(KtAlarm.Kind::wireName))
        .containsExactly(
            "unapproved_device",
            "revived_device",
            "changed_key",
            "directory_mismatch",
            "handle_mismatch",
            "own_key_mismatch",
            "forged_sender",
            "unproven_sender",
            "invalid_proof",
            "malformed_value",
            "rollback",
            "fork",
            "configuration_changed",
            "own_device_missing");
  }

  @Test
  void anAlarmIsStoredUnderItsNameAndReadBack() {
    try (DeviceDatabase db = DeviceDatabase.open(dir.resolve("device.db"))) {
      KtStateStore state = new KtStateStore(db);
      KtAlarm raised =
          state.raise(
              new KtAlarm(1L, KtAlarm.Kind.CHANGED_KEY, "bob@example.org", "a new key", null));
      String stored =
          db.read(
              c -> {
                try (var st = c.prepareStatement("SELECT kind FROM kt_alarms WHERE id = ?")) {
                  st.setLong(1, raised.id());
                  try (var rs = st.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                  }
                }
              });
      assertThat(stored).isEqualTo("changed_key");
      assertThat(state.alarms(0))
          .extracting(KtAlarm::kind)
          .containsExactly(KtAlarm.Kind.CHANGED_KEY);
      assertThat(state.openAlarm(KtAlarm.Kind.CHANGED_KEY, "bob@example.org", "a new key"))
          .isPresent();
    }
  }

  @Test
  void theReadmeListsEveryKind() throws Exception {
    Matcher rows =
        Pattern.compile("(?m)^\\| `([a-z_]+)` \\| ").matcher(Files.readString(README, UTF_8));
    List<String> documented = rows.results().map(m -> m.group(1)).toList();
    assertThat(documented)
        .containsAll(Arrays.stream(KtAlarm.Kind.values()).map(KtAlarm.Kind::wireName).toList());
  }
}
