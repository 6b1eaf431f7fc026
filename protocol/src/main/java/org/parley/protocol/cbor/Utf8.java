package org.parley.protocol.cbor;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Strict UTF-8: the draft requires valid sequences, and lenient codecs silently substitute. */
public final class Utf8 {
  private Utf8() {}

  /** Throws if {@code value} is null or holds an unpaired surrogate (not encodable as UTF-8). */
  public static String requireWellFormed(String value, String field) {
    if (value == null) {
      throw new NullPointerException(field);
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new IllegalArgumentException(field + " contains an unpaired surrogate");
      }
    }
    return value;
  }

  public static byte[] encode(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }

  /** Empty when the bytes are not valid UTF-8 (overlongs, surrogates, truncation). */
  static Optional<String> decode(byte[] bytes, int offset, int length) {
    try {
      CharBuffer chars =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes, offset, length));
      return Optional.of(chars.toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }
}
