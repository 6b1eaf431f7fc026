package org.parley.client;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * The passphrase a profile is encrypted under. Held as characters that {@link #close} wipes (a
 * {@code String} could not be wiped), and never printed.
 */
public final class Passphrase implements AutoCloseable {
  private final char[] chars;

  private Passphrase(char[] chars) {
    this.chars = chars;
  }

  /**
   * A passphrase from characters (copied; the caller may wipe its array).
   *
   * @throws IllegalArgumentException if it is empty
   */
  public static Passphrase of(char[] chars) {
    Objects.requireNonNull(chars, "chars");
    if (chars.length == 0) {
      throw new IllegalArgumentException("a passphrase cannot be empty");
    }
    return new Passphrase(chars.clone());
  }

  /** A passphrase from the bytes of a passphrase file, without one trailing line break. */
  public static Passphrase fromFileBytes(byte[] bytes) {
    int end = bytes.length;
    if (end > 0 && bytes[end - 1] == '\n') {
      end--;
      if (end > 0 && bytes[end - 1] == '\r') {
        end--;
      }
    }
    CharBuffer decoded;
    try {
      decoded =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes, 0, end));
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("a passphrase file must be UTF-8 text");
    }
    char[] chars = new char[decoded.remaining()];
    decoded.get(chars);
    Arrays.fill(decoded.array(), '\0');
    try {
      return of(chars);
    } finally {
      Arrays.fill(chars, '\0');
    }
  }

  /** The passphrase as UTF-8, in a new array the caller wipes after use. */
  public byte[] utf8Bytes() {
    ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars));
    byte[] bytes = new byte[encoded.remaining()];
    encoded.get(bytes);
    if (encoded.hasArray()) {
      Arrays.fill(encoded.array(), (byte) 0);
    }
    return bytes;
  }

  /** Overwrites the characters; the passphrase is unusable afterwards. */
  @Override
  public void close() {
    Arrays.fill(chars, '\0');
  }

  @Override
  public String toString() {
    return "Passphrase[REDACTED]";
  }
}
