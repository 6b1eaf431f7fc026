package org.parley.crypto;

import java.util.HexFormat;
import java.util.Objects;

/** Small byte-array helpers shared by the value records; not part of the API. */
final class Bytes {
  private Bytes() {}

  static byte[] copy(byte[] bytes, String name) {
    return Objects.requireNonNull(bytes, name).clone();
  }

  /** A short, non-secret preview for {@code toString} of public values. */
  static String preview(byte[] bytes) {
    String hex = HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 8));
    return hex + (bytes.length > 8 ? "…" : "") + "(" + bytes.length + " bytes)";
  }
}
