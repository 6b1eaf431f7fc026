package org.parley.bench;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The envelope ids a receiver has yet to acknowledge, kept as the {@code ack} frame they will go
 * out in ({@code [2, request-id, [+ envelope-id]]}, docs/spec/websocket.md). Each id's text item is
 * copied from the envelope as it came, which is the same deterministic encoding; room is left at
 * the front for the frame's head, whose length depends on the count. Not thread-safe.
 */
final class AckBatch {
  private static final int ACK = 2;

  /** The longest head: array(3), kind, a 32-bit request id, an array of up to 65,535. */
  private static final int HEAD_ROOM = 1 + 1 + 5 + 3;

  private byte[] frame = new byte[HEAD_ROOM + 64 * 100];
  private int end = HEAD_ROOM;
  private int count;

  /** Adds the id whose complete text item lies in {@code buf[from, from + length)}. */
  void add(byte[] buf, int from, int length) {
    if (end + length > frame.length) {
      frame = Arrays.copyOf(frame, (end + length) * 2);
    }
    System.arraycopy(buf, from, frame, end, length);
    end += length;
    count++;
  }

  int count() {
    return count;
  }

  /**
   * The ack frame for the ids added so far, under {@code requestId}, valid until the next {@link
   * #add}; the batch starts anew.
   */
  ByteBuffer take(long requestId) {
    int headSize = 1 + 1 + WireCbor.headSize(requestId) + WireCbor.headSize(count);
    int start = HEAD_ROOM - headSize;
    int at = WireCbor.writeHead(frame, start, WireCbor.ARRAY, 3);
    at = WireCbor.writeHead(frame, at, WireCbor.UNSIGNED, ACK);
    at = WireCbor.writeHead(frame, at, WireCbor.UNSIGNED, requestId);
    WireCbor.writeHead(frame, at, WireCbor.ARRAY, count);
    ByteBuffer out = ByteBuffer.wrap(frame, start, end - start);
    end = HEAD_ROOM;
    count = 0;
    return out;
  }
}
