package org.parley.keytrans.commit;

import java.io.ByteArrayOutputStream;

/** TLS-presentation writer for this package; vector prefixes count elements. */
final class Encoder {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  Encoder u8(int v) {
    out.write(v);
    return this;
  }

  Encoder u16(int v) {
    out.write(v >>> 8);
    out.write(v);
    return this;
  }

  Encoder u32(long v) {
    return u16((int) (v >>> 16)).u16((int) v);
  }

  Encoder fixed(byte[] bytes) {
    out.writeBytes(bytes);
    return this;
  }

  byte[] toByteArray() {
    return out.toByteArray();
  }

  /** Checks a label-version version: {@code uint32}, carried in a long. */
  static long version(long version) {
    if (version < 0 || version > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("version must be in 0..2^32-1");
    }
    return version;
  }
}
