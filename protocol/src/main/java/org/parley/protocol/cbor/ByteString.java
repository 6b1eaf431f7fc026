package org.parley.protocol.cbor;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/** An immutable CBOR byte string with value equality, so records holding bytes compare sanely. */
public final class ByteString implements Comparable<ByteString> {
  public static final ByteString EMPTY = new ByteString(new byte[0]);

  private final byte[] bytes;

  private ByteString(byte[] bytes) {
    this.bytes = bytes;
  }

  public static ByteString of(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    return bytes.length == 0 ? EMPTY : new ByteString(bytes.clone());
  }

  public static ByteString ofHex(String hex) {
    return of(HexFormat.of().parseHex(hex));
  }

  /** Wraps without copying; only for arrays nobody else holds. */
  static ByteString wrap(byte[] bytes) {
    return bytes.length == 0 ? EMPTY : new ByteString(bytes);
  }

  public byte[] toByteArray() {
    return bytes.clone();
  }

  public int size() {
    return bytes.length;
  }

  public byte byteAt(int index) {
    return bytes[index];
  }

  public boolean isEmpty() {
    return bytes.length == 0;
  }

  public String hex() {
    return HexFormat.of().formatHex(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ByteString other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public int compareTo(ByteString other) {
    return Arrays.compareUnsigned(bytes, other.bytes);
  }

  @Override
  public String toString() {
    return "h'" + hex() + "'";
  }
}
