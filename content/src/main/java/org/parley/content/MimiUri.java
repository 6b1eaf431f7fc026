package org.parley.content;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A participant or room URI as hashed into a {@link MessageId}; Parley's own forms come from {@link
 * ParleyUris}. The draft prefixes each URI with a 16-bit length, hence the size bound.
 */
public record MimiUri(String value) {
  public static final int MAX_OCTETS = 0xffff;
  private static final Pattern SHAPE = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*:[\\x21-\\x7e]+");

  public MimiUri {
    Objects.requireNonNull(value, "value");
    if (!SHAPE.matcher(value).matches()) {
      throw new IllegalArgumentException("not a printable-ASCII absolute URI: " + value);
    }
    if (value.getBytes(StandardCharsets.US_ASCII).length > MAX_OCTETS) {
      throw new IllegalArgumentException("URI longer than " + MAX_OCTETS + " octets");
    }
  }

  byte[] octets() {
    return value.getBytes(StandardCharsets.US_ASCII);
  }

  @Override
  public String toString() {
    return value;
  }
}
