package org.parley.content;

import java.util.Objects;

/** Encodes and decodes {@link MimiContent} as the draft's deterministic CBOR. */
public final class MimiCodec {
  private MimiCodec() {}

  /** The deterministic encoding; the same value always gives the same bytes. */
  public static byte[] encode(MimiContent content) {
    return ContentEncoder.encode(Objects.requireNonNull(content, "content"));
  }

  /**
   * Decodes exactly one message, accepting only the deterministic encoding, so that {@code
   * encode(decode(b))} equals {@code b} for every accepted {@code b}.
   */
  public static MimiContent decode(byte[] encoded) throws ContentFormatException {
    return ContentDecoder.decode(Objects.requireNonNull(encoded, "encoded"));
  }

  /**
   * The message id, with sender and room taken from the content's own senderUri and roomUri
   * extensions; fails if either is missing or not a {@link MimiUri}.
   */
  public static MessageId messageId(MimiContent content) {
    MimiUri sender =
        new MimiUri(
            content
                .extensions()
                .senderUri()
                .orElseThrow(() -> new IllegalArgumentException("no senderUri extension")));
    MimiUri room =
        new MimiUri(
            content
                .extensions()
                .roomUri()
                .orElseThrow(() -> new IllegalArgumentException("no roomUri extension")));
    return MessageId.of(sender, room, encode(content));
  }
}
