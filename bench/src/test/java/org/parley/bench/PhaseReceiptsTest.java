package org.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PhaseReceiptsTest {
  private static final long MS = 1_000_000;

  private static void arrive(PhaseReceipts receipts, byte[] body, long at) {
    receipts.received(body, 0, body.length, at);
  }

  @Test
  void countsLostDuplicateAndStaleArrivals() {
    PhaseReceipts receipts = new PhaseReceipts(7, 2);
    for (int seq = 0; seq < 3; seq++) {
      receipts.accepted(0, seq);
      receipts.accepted(1, seq);
    }
    arrive(receipts, new Payload(0, 7, 0, 0).encode(), MS);
    arrive(receipts, new Payload(0, 7, 0, 1).encode(), 2 * MS);
    arrive(receipts, new Payload(0, 7, 0, 1).encode(), 3 * MS); // repeat
    arrive(receipts, new Payload(0, 7, 0, 2).encode(), 3 * MS);
    arrive(receipts, new Payload(0, 7, 1, 0).encode(), 4 * MS);
    arrive(receipts, new Payload(0, 6, 1, 1).encode(), 4 * MS); // an earlier phase
    arrive(receipts, new byte[3], 4 * MS); // no header

    PhaseReceipts.Totals totals = receipts.totals(0);

    assertThat(totals.unique()).isEqualTo(4);
    assertThat(totals.duplicates()).isEqualTo(1);
    assertThat(totals.lost()).isEqualTo(2); // pair 1, seq 1 and 2
    assertThat(totals.stale()).isEqualTo(2);
    assertThat(receipts.uniqueTotal()).isEqualTo(4);
  }

  @Test
  void rateRunsFromFirstSendToLastFirstArrival() {
    PhaseReceipts receipts = new PhaseReceipts(1, 1);
    long start = 1_000 * MS;
    for (int seq = 0; seq < 100; seq++) {
      receipts.accepted(0, seq);
      // sent every 10 ms from start, each arriving 2 ms later
      arrive(
          receipts,
          new Payload(start + seq * 10 * MS, 1, 0, seq).encode(),
          start + seq * 10 * MS + 2 * MS);
    }
    // a late duplicate does not stretch the elapsed time
    arrive(receipts, new Payload(start, 1, 0, 0).encode(), start + 5_000 * MS);

    PhaseReceipts.Totals totals = receipts.totals(start);

    assertThat(totals.elapsedNanos()).isEqualTo(992 * MS);
    assertThat(totals.perSecond()).isCloseTo(100 / 0.992, within(1e-9));
    assertThat(totals.percentileMillis(50)).isCloseTo(2.0, within(0.01));
    assertThat(totals.percentileMillis(99)).isCloseTo(2.0, within(0.01));
    assertThat(totals.maxMillis()).isCloseTo(2.0, within(0.01));
    assertThat(totals.lost()).isZero();
  }

  @Test
  void percentilesFollowTheRecordedLatencies() {
    PhaseReceipts receipts = new PhaseReceipts(1, 1);
    for (int seq = 0; seq < 100; seq++) {
      receipts.accepted(0, seq);
      arrive(receipts, new Payload(0, 1, 0, seq).encode(), (seq + 1) * MS); // 1..100 ms
    }

    PhaseReceipts.Totals totals = receipts.totals(0);

    assertThat(totals.percentileMillis(50)).isCloseTo(50, within(0.1));
    assertThat(totals.percentileMillis(99)).isCloseTo(99, within(0.1));
    assertThat(totals.maxMillis()).isCloseTo(100, within(0.1));
  }

  @Test
  void payloadHeaderSurvivesTheRoundTrip() {
    byte[] body = new Payload(123_456_789L, 3, 42, 9_999).encode();

    assertThat(body).hasSize(512);
    assertThat(Payload.decode(body, 0, body.length))
        .isEqualTo(new Payload(123_456_789L, 3, 42, 9_999));
    byte[] frame = new byte[600];
    new Payload(-1L, 1, 2, 3).writeTo(frame, 77); // where a frame carries it
    assertThat(Payload.decode(frame, 77, Payload.SIZE)).isEqualTo(new Payload(-1L, 1, 2, 3));
    assertThat(frame[76]).isZero();
    assertThat(frame[77 + Payload.SIZE]).isZero();
  }
}
