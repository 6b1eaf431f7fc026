package org.parley.protocol.account;

/**
 * A device's human-readable name ("laptop"), 1-64 UTF-16 code units, without control characters or
 * unpaired surrogates (which no encoding can store faithfully).
 */
public final class DeviceName {
  private DeviceName() {}

  public static String check(String name) {
    if (name == null
        || name.isBlank()
        || name.length() > 64
        || name.codePoints()
            .anyMatch(
                c -> Character.isISOControl(c) || Character.isSurrogate((char) c) && c <= 0xFFFF)) {
      throw new IllegalArgumentException(
          "field 'deviceName' must be 1-64 characters without control characters");
    }
    return name.strip();
  }
}
