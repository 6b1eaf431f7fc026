package org.parley.protocol.link;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one-time code a new device shows and an existing device types: 16 characters of Crockford
 * base32 (80 random bits) in four groups, e.g. {@code 7KQ2-M9XD-4TNB-0WHE}. Case-insensitive.
 */
public record LinkCode(String value) {
  private static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  private static final Pattern FORM =
      Pattern.compile("[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}");
  private static final SecureRandom RANDOM = new SecureRandom();

  public LinkCode {
    if (value == null) {
      throw new IllegalArgumentException("a link code is required");
    }
    value = value.toUpperCase(Locale.ROOT);
    if (!FORM.matcher(value).matches()) {
      throw new IllegalArgumentException("a link code looks like 7KQ2-M9XD-4TNB-0WHE: " + value);
    }
  }

  @JsonCreator
  public static LinkCode of(String value) {
    return new LinkCode(value);
  }

  public static LinkCode random() {
    StringBuilder code = new StringBuilder(19);
    for (int i = 0; i < 16; i++) {
      if (i > 0 && i % 4 == 0) {
        code.append('-');
      }
      code.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return new LinkCode(code.toString());
  }

  @JsonValue
  @Override
  public String value() {
    return value;
  }

  @Override
  public String toString() {
    return value;
  }
}
