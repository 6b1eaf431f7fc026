package org.parley.bench;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
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

  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

  byte[] encode() {
    byte[] bytes = new byte[SIZE];
    writeTo(bytes, 0);
    return bytes;
  }

  /** Writes the 512 bytes into {@code out} at {@code offset}, where a frame carries them. */
  void writeTo(byte[] out, int offset) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    // 62 random longs from byte 16 to the end; the header then overwrites bytes 16-19
    for (int i = offset + 16; i < offset + SIZE; i += 8) {
      LONG.set(out, i, random.nextLong());
    }
    LONG.set(out, offset, sentNanos);
    INT.set(out, offset + 8, phase);
    INT.set(out, offset + 12, pair);
    INT.set(out, offset + 16, seq);
  }

  /**
   * @throws IllegalArgumentException if the bytes are too short to hold a header
   */
  static Payload decode(byte[] bytes, int offset, int length) {
    if (length < HEADER) {
      throw new IllegalArgumentException("payload of " + length + " bytes has no header");
    }
    return new Payload(
        (long) LONG.get(bytes, offset),
        (int) INT.get(bytes, offset + 8),
        (int) INT.get(bytes, offset + 12),
        (int) INT.get(bytes, offset + 16));
  }
}
