package org.parley.keytrans.tls;

import java.io.ByteArrayOutputStream;

/** Writer of the draft's TLS-presentation structures; vector prefixes count elements. */
public final class TlsWriter {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  public TlsWriter u8(int v) {
    out.write(v);
    return this;
  }

  public TlsWriter u16(int v) {
    out.write(v >>> 8);
    out.write(v);
    return this;
  }

  public TlsWriter u32(long v) {
    return u16((int) (v >>> 16)).u16((int) v);
  }

  public TlsWriter u64(long v) {
    for (int shift = 56; shift >= 0; shift -= 8) {
      out.write((int) (v >>> shift));
    }
    return this;
  }

  /**
   * An unsigned 64-bit value in LEB128: seven bits a byte, least significant group first, the high
   * bit set on every byte but the last; 1 to 10 bytes, always the fewest (a Parley extension used
   * for a combined proof's timestamps, docs/spec/keytrans.md).
   */
  public TlsWriter varint(long v) {
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
    return this;
  }

  public TlsWriter fixed(byte[] bytes) {
    out.writeBytes(bytes);
    return this;
  }

  /** {@code opaque x<0..2^16-1>}: a 2-byte count, then the bytes. */
  public TlsWriter opaque16(byte[] bytes) {
    if (bytes.length > 0xFFFF) {
      throw new IllegalArgumentException("vector longer than 2^16-1");
    }
    return u16(bytes.length).fixed(bytes);
  }

  /** {@code optional<uint64>}: a presence byte, then the value if present. */
  public TlsWriter optionalU64(java.util.OptionalLong v) {
    u8(v.isPresent() ? 1 : 0);
    v.ifPresent(this::u64);
    return this;
  }

  /** {@code optional<uint32>}. */
  public TlsWriter optionalU32(java.util.OptionalLong v) {
    u8(v.isPresent() ? 1 : 0);
    v.ifPresent(this::u32);
    return this;
  }

  public byte[] toByteArray() {
    return out.toByteArray();
  }
}
