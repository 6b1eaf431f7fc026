package org.parley.keytrans.prefix;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import org.parley.keytrans.suite.CipherSuite;

/**
 * A prefix tree search key: the VRF output ({@code VRF.Nh} = 32 bytes) of a label-version pair,
 * read as a bit string from the most significant bit of its first byte.
 */
public final class SearchKey implements Comparable<SearchKey> {
  /** VRF.Nh of both cipher suites. */
  public static final int LENGTH = CipherSuite.NH;

  /** The number of bits in a key. */
  public static final int BITS = LENGTH * 8;

  private final byte[] bytes;

  private SearchKey(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Wraps a copy of a 32-byte VRF output. */
  public static SearchKey of(byte[] vrfOutput) {
    if (vrfOutput.length != LENGTH) {
      throw new IllegalArgumentException("a search key has " + LENGTH + " bytes");
    }
    return new SearchKey(vrfOutput.clone());
  }

  static SearchKey wrap(byte[] vrfOutput) {
    return new SearchKey(vrfOutput);
  }

  /** Bit {@code index} (0 = most significant bit of the first byte). */
  public int bit(int index) {
    return (bytes[index >>> 3] >>> (7 - (index & 7))) & 1;
  }

  /**
   * This key's first {@code length} bits followed by all {@code bit}: the smallest (0) or largest
   * (1) key sharing that prefix.
   */
  public SearchKey withSuffix(int length, int bit) {
    if (length < 0 || length > BITS || (bit & ~1) != 0) {
      throw new IllegalArgumentException("prefix length " + length + ", bit " + bit);
    }
    byte[] out = bytes.clone();
    for (int i = length; i < BITS; i++) {
      int mask = 0x80 >>> (i & 7);
      out[i >>> 3] = (byte) (bit == 1 ? out[i >>> 3] | mask : out[i >>> 3] & ~mask);
    }
    return new SearchKey(out);
  }

  /** This key with bit {@code index} flipped. */
  SearchKey flip(int index) {
    byte[] out = bytes.clone();
    out[index >>> 3] ^= (byte) (0x80 >>> (index & 7));
    return new SearchKey(out);
  }

  /** The number of leading bits this key shares with {@code other}. */
  public int commonPrefixLength(SearchKey other) {
    int i = Arrays.mismatch(bytes, other.bytes);
    if (i < 0) {
      return BITS;
    }
    return i * 8 + Integer.numberOfLeadingZeros((bytes[i] ^ other.bytes[i]) & 0xFF) - 24;
  }

  /** A copy of the key's bytes. */
  public byte[] toByteArray() {
    return bytes.clone();
  }

  byte[] bytes() {
    return bytes;
  }

  /** Unsigned lexicographic order, which is the left-to-right order of the tree. */
  @Override
  public int compareTo(SearchKey o) {
    return Arrays.compareUnsigned(bytes, o.bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SearchKey other && MessageDigest.isEqual(bytes, other.bytes);
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
