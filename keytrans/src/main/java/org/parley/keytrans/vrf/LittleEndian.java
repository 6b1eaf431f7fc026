package org.parley.keytrans.vrf;

import java.math.BigInteger;

/** RFC 8032's little-endian integers, as edwards25519's scalars and field elements are written. */
final class LittleEndian {

  private LittleEndian() {}

  static BigInteger toBigInteger(byte[] bytes) {
    byte[] be = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      be[i] = bytes[bytes.length - 1 - i];
    }
    return new BigInteger(1, be);
  }

  /** The low {@code length} bytes of a non-negative value. */
  static byte[] toBytes(BigInteger value, int length) {
    byte[] out = new byte[length];
    byte[] be = value.toByteArray();
    for (int i = 0; i < length && i < be.length; i++) {
      out[i] = be[be.length - 1 - i];
    }
    return out;
  }
}
