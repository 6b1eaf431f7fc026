package org.parley.content;

import java.security.SecureRandom;
import java.util.Objects;
import org.parley.protocol.cbor.ByteString;

/** The 16-octet per-message random salt that makes every message id unique. */
public record Salt(ByteString value) {
  public static final int SIZE = 16;
  private static final SecureRandom RANDOM = new SecureRandom();

  public Salt {
    Objects.requireNonNull(value, "value");
    if (value.size() != SIZE) {
      throw new IllegalArgumentException("salt must be " + SIZE + " bytes, got " + value.size());
    }
  }

  public static Salt random() {
    byte[] bytes = new byte[SIZE];
    RANDOM.nextBytes(bytes);
    return new Salt(ByteString.of(bytes));
  }

  public static Salt ofHex(String hex) {
    return new Salt(ByteString.ofHex(hex));
  }
}
