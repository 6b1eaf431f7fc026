package org.parley.keytrans.commit;

import org.parley.keytrans.log.MalformedEncodingException;

/** Strict TLS-presentation reader; never allocates more than the bytes that are there. */
final class Decoder {
  private final byte[] in;
  private int pos;

  Decoder(byte[] in) {
    this.in = in;
  }

  private void need(long n) throws MalformedEncodingException {
    if (in.length - pos < n) {
      throw new MalformedEncodingException("truncated at byte " + pos);
    }
  }

  int u8() throws MalformedEncodingException {
    need(1);
    return in[pos++] & 0xFF;
  }

  int u16() throws MalformedEncodingException {
    return (u8() << 8) | u8();
  }

  long u32() throws MalformedEncodingException {
    return ((long) u16() << 16) | u16();
  }

  byte[] fixed(long n) throws MalformedEncodingException {
    need(n);
    byte[] out = new byte[(int) n];
    System.arraycopy(in, pos, out, 0, (int) n);
    pos += (int) n;
    return out;
  }

  void end() throws MalformedEncodingException {
    if (pos != in.length) {
      throw new MalformedEncodingException((in.length - pos) + " trailing bytes");
    }
  }
}
