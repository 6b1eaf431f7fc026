package org.parley.protocol.account;

/** A device's human-readable name ("laptop"), 1-64 characters without control characters. */
public final class DeviceName {
  private DeviceName() {}

  public static String check(String name) {
    if (name == null || name.isBlank() || name.length() > 64
        || name.codePoints().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException(
          "field 'deviceName' must be 1-64 characters without control characters");
    }
    return name.strip();
  }
}
