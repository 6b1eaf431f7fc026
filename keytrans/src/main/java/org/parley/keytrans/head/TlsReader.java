package org.parley.keytrans.head;

import org.parley.keytrans.log.MalformedEncodingException;

/** Strict TLS-presentation reader; never allocates more than the bytes that are there. */
final class TlsReader {
  private final byte[] in;
  private int pos;

  TlsReader(byte[] in) {
    this.in = in;
  }

  private void need(int n) throws MalformedEncodingException {
    if (in.length - pos < n) {
      throw new MalformedEncodingException("truncated at byte " + pos);
    }
  }

  int u8() throws MalformedEncodingException {
    need(1);
    return in[pos++] & 0xFF;
  }

  int u16() throws MalformedEncodingException {
    need(2);
    int v = ((in[pos] & 0xFF) << 8) | (in[pos + 1] & 0xFF);
    pos += 2;
    return v;
  }

  long u64() throws MalformedEncodingException {
    need(8);
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (in[pos++] & 0xFF);
    }
    return v;
  }

  byte[] fixed(int n) throws MalformedEncodingException {
    need(n);
    byte[] out = new byte[n];
    System.arraycopy(in, pos, out, 0, n);
    pos += n;
    return out;
  }

  byte[] opaque16() throws MalformedEncodingException {
    return fixed(u16());
  }

  void end() throws MalformedEncodingException {
    if (pos != in.length) {
      throw new MalformedEncodingException((in.length - pos) + " trailing bytes");
    }
  }
}
