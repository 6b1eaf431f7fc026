package org.parley.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A device's number within its account, 1..127 (libsignal's address range). The first device of an
 * account is 1; a removed device's id is handed out again, so which device holds an id is told by
 * its {@link org.parley.protocol.kt.LinkSerial}.
 */
public record DeviceId(int value) implements Comparable<DeviceId> {
  public static final int MAX = 127;

  public DeviceId {
    if (value < 1 || value > MAX) {
      throw new IllegalArgumentException("device id must be between 1 and " + MAX + ": " + value);
    }
  }

  @JsonCreator
  public static DeviceId of(int value) {
    return new DeviceId(value);
  }

  @JsonValue
  @Override
  public int value() {
    return value;
  }

  @Override
  public int compareTo(DeviceId other) {
    return Integer.compare(value, other.value);
  }

  @Override
  public String toString() {
    return Integer.toString(value);
  }
}
