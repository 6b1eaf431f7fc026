package org.parley.bench;

import java.nio.ByteBuffer;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The 512-byte body every system carries: a header the receivers read back, then random bytes so
 * that nothing along the way can compress it.
 *
 * <p>Header: bytes 0-7 the send time ({@link System#nanoTime}, one clock since senders and
 * receivers share this process), 8-11 the phase id, 12-15 the pair, 16-19 the sequence number
 * within the pair.
 */
record Payload(long sentNanos, int phase, int pair, int seq) {
  static final int SIZE = 512;
  static final int HEADER = 20;

  byte[] encode() {
    byte[] bytes = new byte[SIZE];
    ThreadLocalRandom.current().nextBytes(bytes);
    ByteBuffer.wrap(bytes).putLong(sentNanos).putInt(phase).putInt(pair).putInt(seq);
    return bytes;
  }

  /**
   * @throws IllegalArgumentException if the bytes are too short to hold a header
   */
  static Payload decode(byte[] bytes) {
    if (bytes.length < HEADER) {
      throw new IllegalArgumentException("payload of " + bytes.length + " bytes has no header");
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    return new Payload(buffer.getLong(), buffer.getInt(), buffer.getInt(), buffer.getInt());
  }
}
