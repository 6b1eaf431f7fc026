package org.parley.keytrans.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.parley.keytrans.log.MalformedEncodingException;

/**
 * A stored head is read back only as {@code encode} wrote it, frontier positions ascending and once
 * each. Found by the fuzz run: a repeated record used to be folded into the map, the last one
 * winning, and records in any order were sorted.
 */
class TrustedHeadEncodingTest {
  private static final String ZERO32 = "00".repeat(32);

  /** Size 1, an empty signature, root and the one full-subtree head, then the frontier. */
  private static byte[] storedHeadOfSizeOne(String... frontierRecords) {
    return HexFormat.of()
        .parseHex(
            "0000000000000001"
                + "0000"
                + ZERO32
                + ZERO32
                + String.format("%02x", frontierRecords.length)
                + String.join("", frontierRecords));
  }

  /** (position, timestamp, prefix root) of one frontier entry. */
  private static String record(long position, long timestamp) {
    return String.format("%016x%016x", position, timestamp) + ZERO32;
  }

  @Test
  void theEncodingReadsBack() throws Exception {
    byte[] stored = storedHeadOfSizeOne(record(0, 7));
    assertThat(TrustedHead.decode(stored).encode()).isEqualTo(stored);
  }

  @Test
  void aRepeatedFrontierEntryIsMalformed() {
    assertThatThrownBy(() -> TrustedHead.decode(storedHeadOfSizeOne(record(0, 7), record(0, 9))))
        .isInstanceOf(MalformedEncodingException.class);
  }

  @Test
  void frontierEntriesOutOfOrderAreMalformed() throws Exception {
    // Size 3 has the frontier 1, 2: two full subtrees, so two heads before the frontier.
    String prefix = "0000000000000003" + "0000" + ZERO32 + ZERO32 + ZERO32 + "02";
    byte[] ordered = HexFormat.of().parseHex(prefix + record(1, 5) + record(2, 6));
    assertThat(TrustedHead.decode(ordered).encode()).isEqualTo(ordered);
    assertThatThrownBy(
            () -> TrustedHead.decode(HexFormat.of().parseHex(prefix + record(2, 6) + record(1, 5))))
        .isInstanceOf(MalformedEncodingException.class);
  }
}
