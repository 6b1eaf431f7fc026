package org.parley.keytrans.commit;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A commitment to a label-version pair's value: {@code HMAC(Kc, CommitmentValue)}, Hash.Nh bytes.
 */
public final class Commitment {
  private final byte[] bytes;

  private Commitment(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Wraps a copy of a commitment's bytes (as stored in a prefix-tree leaf). */
  public static Commitment of(byte[] bytes) {
    if (bytes.length == 0) {
      throw new IllegalArgumentException("empty commitment");
    }
    return new Commitment(bytes.clone());
  }

  static Commitment wrap(byte[] bytes) {
    return new Commitment(bytes);
  }

  /** A copy of the bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Commitment other && MessageDigest.isEqual(bytes, other.bytes);
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
