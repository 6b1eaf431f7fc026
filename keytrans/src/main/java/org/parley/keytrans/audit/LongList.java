package org.parley.keytrans.audit;

import java.util.ArrayList;
import java.util.List;

/**
 * An append-only list of longs in fixed-size chunks: growing never copies what is stored, and it
 * holds more than an array's 2^31 elements.
 */
final class LongList {
  private static final int CHUNK_BITS = 16;
  private static final int CHUNK = 1 << CHUNK_BITS;

  private final List<long[]> chunks = new ArrayList<>();
  private long size;

  long size() {
    return size;
  }

  long get(long index) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException("index " + index + " of " + size);
    }
    return chunks.get((int) (index >>> CHUNK_BITS))[(int) (index & (CHUNK - 1))];
  }

  void add(long value) {
    if ((size & (CHUNK - 1)) == 0) {
      chunks.add(new long[CHUNK]);
    }
    chunks.get((int) (size >>> CHUNK_BITS))[(int) (size & (CHUNK - 1))] = value;
    size++;
  }
}
