package org.parley.keytrans.log;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/** The draft's {@code HashValue}: an opaque {@code Hash.Nh}-byte node value of the log tree. */
public final class HashValue {
  private final byte[] bytes;

  private HashValue(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Wraps a copy of {@code bytes}; a value must not be empty. */
  public static HashValue of(byte[] bytes) {
    if (bytes.length == 0) {
      throw new IllegalArgumentException("empty hash value");
    }
    return new HashValue(bytes.clone());
  }

  /** Wraps {@code bytes} without copying; only for arrays nobody else holds. */
  static HashValue wrap(byte[] bytes) {
    return new HashValue(bytes);
  }

  /** A copy of the value's bytes. */
  public byte[] toByteArray() {
    return bytes.clone();
  }

  /** The value's length in bytes ({@code Hash.Nh}). */
  public int length() {
    return bytes.length;
  }

  void writeTo(byte[] out, int offset) {
    System.arraycopy(bytes, 0, out, offset, bytes.length);
  }

  byte[] bytes() {
    return bytes;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HashValue other && MessageDigest.isEqual(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return HexFormat.of().formatHex(bytes);
  }
}
