package org.parley.keytrans.message;

import java.util.ArrayList;
import java.util.List;
import org.parley.keytrans.log.MalformedEncodingException;
import org.parley.keytrans.tls.TlsReader;
import org.parley.keytrans.tls.TlsWriter;

/** Vector helpers shared by the messages: prefixes count elements (docs/spec/keytrans.md). */
final class Codec {
  private Codec() {}

  interface Item<T> {
    T read(TlsReader in) throws MalformedEncodingException;
  }

  interface Writer<T> {
    void write(TlsWriter out, T value);
  }

  /** A vector with a 1-byte ({@code max = 0xFF}) or 2-byte ({@code 0xFFFF}) element count. */
  static <T> List<T> readVector(TlsReader in, int max, Item<T> item)
      throws MalformedEncodingException {
    int count = max == 0xFF ? in.u8() : in.u16();
    List<T> out = new ArrayList<>(Math.min(count, 64));
    for (int i = 0; i < count; i++) {
      out.add(item.read(in));
    }
    return out;
  }

  static <T> void writeVector(TlsWriter out, int max, List<T> values, Writer<T> item) {
    if (values.size() > max) {
      throw new IllegalArgumentException("vector longer than " + max);
    }
    if (max == 0xFF) {
      out.u8(values.size());
    } else {
      out.u16(values.size());
    }
    values.forEach(v -> item.write(out, v));
  }

  static long positionFrom(TlsReader in) throws MalformedEncodingException {
    long position = in.u64();
    if (position < 0) {
      throw new MalformedEncodingException("position beyond 2^63-1");
    }
    return position;
  }
}
