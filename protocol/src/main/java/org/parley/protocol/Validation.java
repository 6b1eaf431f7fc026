package org.parley.protocol;

import java.util.List;

/**
 * Checks shared by the wire records' compact constructors; each failure is invalid_request, except
 * a public key of the wrong length, which is invalid_key (docs/spec/errors.md).
 */
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

  /**
   * A serialized public key of exactly {@code length} bytes. A missing key is a missing field
   * (invalid_request); a key of another length does not parse as that key, so it is {@code
   * invalid_key}, the code a client regenerating its keys acts on.
   */
  public static byte[] key(byte[] value, String field, int length) {
    required(value, field);
    if (value.length != length) {
      throw new ProtocolException(
          ErrorCode.INVALID_KEY,
          "field '" + field + "' is not a public key: it must be " + length + " bytes");
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
