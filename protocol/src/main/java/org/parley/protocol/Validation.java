package org.parley.protocol;

import java.util.List;

/** Checks shared by the wire records' compact constructors; each failure is invalid_request. */
public final class Validation {
  private Validation() {}

  public static <T> T required(T value, String field) {
    if (value == null) {
      throw new IllegalArgumentException("field '" + field + "' is required");
    }
    return value;
  }

  public static byte[] bytes(byte[] value, String field, int min, int max) {
    required(value, field);
    if (value.length < min || value.length > max) {
      throw new IllegalArgumentException(
          "field '" + field + "' must be " + (min == max ? min : min + ".." + max) + " bytes");
    }
    return value.clone();
  }

  public static <T> List<T> list(List<T> value, String field, int max) {
    if (value == null) {
      return List.of();
    }
    if (value.size() > max) {
      throw new IllegalArgumentException("field '" + field + "' has more than " + max + " entries");
    }
    for (T item : value) {
      if (item == null) {
        throw new IllegalArgumentException("field '" + field + "' contains null");
      }
    }
    return List.copyOf(value);
  }

  public static int range(int value, String field, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          "field '" + field + "' must be between " + min + " and " + max);
    }
    return value;
  }
}
