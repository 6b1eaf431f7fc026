package org.parley.client;

import java.util.Arrays;

/**
 * Padding of a plaintext before it is encrypted (docs/spec/crypto.md, "Padding"), so that a
 * ciphertext's length tells the server only a bucket, not the length of the text: a 0x80 byte, then
 * zeros, up to the bucket of the padded length. Buckets are powers of two from 256 bytes to 4 KiB
 * (texts are short: absolute overhead is small, and every text of up to 255 bytes looks the same),
 * then Padmé (Nikitin et al., "Reducing Metadata Leakage from Encrypted Files and Communication
 * with PURBs", 2019): a length rounded up so that only about log2(log2(L)) bits of it are kept, at
 * an overhead of at most 12 %.
 */
public final class Padding {
  /** The smallest bucket: every short message looks the same. */
  public static final int MIN_BUCKET = 256;

  /** Up to this size buckets are powers of two; above it, Padmé. */
  static final int POWER_OF_TWO_LIMIT = 4096;

  private static final byte MARKER = (byte) 0x80;

  private Padding() {}

  /** The bucket a plaintext of {@code length} bytes is padded to (the marker included). */
  public static int bucket(int length) {
    int n = length + 1;
    if (n <= MIN_BUCKET) {
      return MIN_BUCKET;
    }
    if (n <= POWER_OF_TWO_LIMIT) {
      return Integer.highestOneBit(n - 1) << 1;
    }
    int e = 31 - Integer.numberOfLeadingZeros(n); // floor(log2 n)
    int s = 32 - Integer.numberOfLeadingZeros(e); // floor(log2 e) + 1
    int mask = (1 << (e - s)) - 1;
    return (n + mask) & ~mask;
  }

  /** The plaintext with its padding. */
  public static byte[] pad(byte[] plaintext) {
    byte[] padded = Arrays.copyOf(plaintext, bucket(plaintext.length));
    padded[plaintext.length] = MARKER;
    return padded;
  }

  /**
   * Removes the padding.
   *
   * @throws IllegalArgumentException if the bytes are not a padded plaintext of a bucket's length
   */
  public static byte[] unpad(byte[] padded) {
    int end = padded.length - 1;
    while (end >= 0 && padded[end] == 0) {
      end--;
    }
    if (end < 0 || padded[end] != MARKER || bucket(end) != padded.length) {
      throw new IllegalArgumentException("the message is not padded as the protocol says");
    }
    return Arrays.copyOf(padded, end);
  }
}
