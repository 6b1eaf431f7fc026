package org.parley.keytrans.head;

import java.io.ByteArrayOutputStream;

/** TLS-presentation writer; vector prefixes count elements (docs/spec/keytrans.md). */
final class TlsWriter {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  TlsWriter u8(int v) {
    out.write(v);
    return this;
  }

  TlsWriter u16(int v) {
    out.write(v >>> 8);
    out.write(v);
    return this;
  }

  TlsWriter u64(long v) {
    for (int shift = 56; shift >= 0; shift -= 8) {
      out.write((int) (v >>> shift));
    }
    return this;
  }

  TlsWriter fixed(byte[] bytes) {
    out.writeBytes(bytes);
    return this;
  }

  /** {@code opaque x<0..2^16-1>}: a 2-byte count, then the bytes. */
  TlsWriter opaque16(byte[] bytes) {
    if (bytes.length > 0xFFFF) {
      throw new IllegalArgumentException("vector longer than 2^16-1");
    }
    return u16(bytes.length).fixed(bytes);
  }

  byte[] toByteArray() {
    return out.toByteArray();
  }
}
