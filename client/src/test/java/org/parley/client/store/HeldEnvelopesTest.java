package org.parley.client.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Held envelopes: a row whose envelope never comes again (the server deleted it) neither counts
 * towards the quota of group messages held once past the hold, nor stays for good.
 */
class HeldEnvelopesTest {
  private static final long HOUR = 3_600_000;

  @TempDir Path dir;

  @Test
  void rowsPastTheHoldAreNotCountedAndOldOnesAreForgotten() {
    try (DeviceDatabase db = DeviceDatabase.open(dir.resolve("p").resolve("device.db"))) {
      HeldEnvelopes held = new HeldEnvelopes(db);
      long now = 100 * HOUR;
      held.firstSeen("gone-long-ago", now - 72 * HOUR);
      held.firstSeen("yesterday", now - 30 * HOUR);
      held.firstSeen("an-hour-ago", now - HOUR);
      assertThat(held.firstSeen("an-hour-ago", now)).isEqualTo(now - HOUR); // the first time kept

      assertThat(held.count(now - 24 * HOUR)).isEqualTo(1);
      assertThat(held.forgetBefore(now - 48 * HOUR)).isEqualTo(1);
      assertThat(held.isHeld("gone-long-ago")).isFalse();
      assertThat(held.isHeld("yesterday")).isTrue();
      assertThat(held.count(0)).isEqualTo(2);
    }
  }
}
