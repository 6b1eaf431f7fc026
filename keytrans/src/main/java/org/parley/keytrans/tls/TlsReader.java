package org.parley.keytrans.tls;

import org.parley.keytrans.log.MalformedEncodingException;

/**
 * Strict reader of the draft's TLS-presentation structures: big-endian integers, fixed-length
 * fields, vectors whose prefix counts elements (docs/spec/keytrans.md). It never allocates more
 * than the bytes that are there, and every failure is a {@link MalformedEncodingException}.
 */
public final class TlsReader {
  private final byte[] in;
  private int pos;

  public TlsReader(byte[] in) {
    this.in = in;
  }

  private void need(long n) throws MalformedEncodingException {
    if (n < 0 || in.length - pos < n) {
      throw new MalformedEncodingException("truncated at byte " + pos);
    }
  }

  public int u8() throws MalformedEncodingException {
    need(1);
    return in[pos++] & 0xFF;
  }

  public int u16() throws MalformedEncodingException {
    return (u8() << 8) | u8();
  }

  public long u32() throws MalformedEncodingException {
    return ((long) u16() << 16) | u16();
  }

  /**
   * An unsigned 64-bit value in LEB128 as {@link TlsWriter#varint} writes it; anything longer than
   * needed (a last byte of zero after the first), or beyond 64 bits, is malformed.
   */
  public long varint() throws MalformedEncodingException {
    long v = 0;
    for (int i = 0; i < 10; i++) {
      int b = u8();
      if (i == 9 && b > 1) {
        throw new MalformedEncodingException("varint beyond 64 bits at byte " + (pos - 1));
      }
      v |= (long) (b & 0x7F) << (7 * i);
      if ((b & 0x80) == 0) {
        if (b == 0 && i > 0) {
          throw new MalformedEncodingException("varint not in its shortest form at byte " + pos);
        }
        return v;
      }
    }
    throw new MalformedEncodingException("varint beyond 64 bits at byte " + pos);
  }

  public long u64() throws MalformedEncodingException {
    need(8);
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (in[pos++] & 0xFF);
    }
    return v;
  }

  public byte[] fixed(long n) throws MalformedEncodingException {
    need(n);
    byte[] out = new byte[(int) n];
    System.arraycopy(in, pos, out, 0, (int) n);
    pos += (int) n;
    return out;
  }

  /** {@code opaque x<0..2^16-1>}: a 2-byte count, then the bytes. */
  public byte[] opaque16() throws MalformedEncodingException {
    return fixed(u16());
  }

  /** A reader of one structure from a buffer, leaving the position just past it. */
  @FunctionalInterface
  public interface BufferReader<T> {
    T read(java.nio.ByteBuffer in) throws MalformedEncodingException;
  }

  /** Reads one embedded structure with a {@link java.nio.ByteBuffer}-based reader. */
  public <T> T embedded(BufferReader<T> reader) throws MalformedEncodingException {
    java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(in, pos, in.length - pos);
    T value = reader.read(buffer);
    pos = buffer.position();
    return value;
  }

  /** Whether bytes remain. */
  public boolean hasRemaining() {
    return pos < in.length;
  }

  /** {@code optional<T>}'s presence byte: 0 or 1, anything else is malformed. */
  public boolean present() throws MalformedEncodingException {
    int flag = u8();
    if (flag > 1) {
      throw new MalformedEncodingException("optional presence byte " + flag);
    }
    return flag == 1;
  }

  /** {@code optional<uint64>}. */
  public java.util.OptionalLong optionalU64() throws MalformedEncodingException {
    return present() ? java.util.OptionalLong.of(u64()) : java.util.OptionalLong.empty();
  }

  /** {@code optional<uint32>}. */
  public java.util.OptionalLong optionalU32() throws MalformedEncodingException {
    return present() ? java.util.OptionalLong.of(u32()) : java.util.OptionalLong.empty();
  }

  /** The number of bytes not read yet. */
  public int remaining() {
    return in.length - pos;
  }

  /** Refuses trailing bytes. */
  public void end() throws MalformedEncodingException {
    if (pos != in.length) {
      throw new MalformedEncodingException((in.length - pos) + " trailing bytes");
    }
  }
}
