package org.parley.client.kt;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.store.DeviceDatabase;

/**
 * The epoch a server states is not signed, yet it sets how long the client waits for publication
 * and holds envelopes: it is bounded, and the first value learned is kept (issue 7, item 7).
 */
class KtEpochTest {
  @TempDir Path dir;

  @Test
  void theStatedEpochIsBounded() {
    assertThat(LogClient.boundedEpoch(Long.MAX_VALUE)).isEqualTo(60_000);
    assertThat(LogClient.boundedEpoch(Long.MIN_VALUE)).isEqualTo(50);
    assertThat(LogClient.boundedEpoch(0)).isEqualTo(50);
    assertThat(LogClient.boundedEpoch(2_000)).isEqualTo(2_000);
  }

  @Test
  void theFirstEpochLearnedIsKeptAcrossRestarts() {
    try (DeviceDatabase db = DeviceDatabase.open(dir.resolve("device.db"))) {
      KtStateStore state = new KtStateStore(db);
      state.pinConfiguration(new byte[] {1, 2, 3});
      assertThat(state.pinEpochMillis(200)).isEqualTo(200);
      assertThat(state.pinEpochMillis(60_000)).isEqualTo(200);
    }
    try (DeviceDatabase db = DeviceDatabase.open(dir.resolve("device.db"))) {
      assertThat(new KtStateStore(db).pinEpochMillis(50)).isEqualTo(200);
    }
  }
}
