package org.parley.content.group;

import java.security.SecureRandom;
import java.util.Objects;
import org.parley.protocol.cbor.ByteString;

/** A group's 32 random octets, chosen by the device that creates it (docs/spec/groups.md). */
public record GroupId(ByteString value) {
  public static final int SIZE = 32;
  private static final SecureRandom RANDOM = new SecureRandom();

  public GroupId {
    Objects.requireNonNull(value, "value");
    if (value.size() != SIZE) {
      throw new IllegalArgumentException("a group id is " + SIZE + " bytes, got " + value.size());
    }
  }

  public static GroupId random() {
    byte[] id = new byte[SIZE];
    RANDOM.nextBytes(id);
    return new GroupId(ByteString.of(id));
  }

  @Override
  public String toString() {
    return value.hex();
  }
}
