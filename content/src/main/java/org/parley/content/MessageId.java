package org.parley.content;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import org.parley.protocol.cbor.ByteString;

/**
 * The 32-octet id of a MIMI content message: a hash-algorithm octet followed by the first 31 octets
 * of that hash over both URIs, the encoded message and its salt (draft "Message ID").
 */
public record MessageId(ByteString value) {
  public static final int SIZE = 32;

  /** The IANA Named Information id of SHA-256, the draft's default and the only one Parley uses. */
  public static final int SHA_256 = 0x01;

  public MessageId {
    Objects.requireNonNull(value, "value");
    if (value.size() != SIZE) {
      throw new IllegalArgumentException(
          "message id must be " + SIZE + " bytes, got " + value.size());
    }
  }

  public static MessageId ofHex(String hex) {
    return new MessageId(ByteString.ofHex(hex));
  }

  /**
   * Derives the id of {@code encodedContent}, the exact bytes sent (as {@link MimiCodec#encode}
   * produced them), as sent by {@code sender} to {@code room}. The salt is read from the encoding
   * itself, which always starts with the 7-element array and the 16-byte salt.
   */
  public static MessageId of(MimiUri sender, MimiUri room, byte[] encodedContent) {
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(room, "room");
    if (encodedContent.length < 2 + Salt.SIZE
        || (encodedContent[0] & 0xff) != 0x87
        || (encodedContent[1] & 0xff) != 0x40 + Salt.SIZE) {
      throw new IllegalArgumentException("not an encoded MIMI content message");
    }
    ByteArrayOutputStream input = new ByteArrayOutputStream(encodedContent.length + 128);
    withLength(input, sender.octets());
    withLength(input, room.octets());
    input.writeBytes(encodedContent);
    // The salt goes in twice: a trailing secret-random block defeats SHA-256 length extension.
    input.write(encodedContent, 2, Salt.SIZE);
    byte[] hash = sha256(input.toByteArray());
    byte[] id = new byte[SIZE];
    id[0] = SHA_256;
    System.arraycopy(hash, 0, id, 1, SIZE - 1);
    return new MessageId(ByteString.of(id));
  }

  /** The hash algorithm octet; receivers should discard ids with an algorithm they don't know. */
  public int hashAlgorithm() {
    return value.byteAt(0) & 0xff;
  }

  public String hex() {
    return value.hex();
  }

  private static void withLength(ByteArrayOutputStream out, byte[] octets) {
    out.write(octets.length >>> 8);
    out.write(octets.length & 0xff);
    out.writeBytes(octets);
  }

  private static byte[] sha256(byte[] input) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(input);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime provides SHA-256", e);
    }
  }
}
