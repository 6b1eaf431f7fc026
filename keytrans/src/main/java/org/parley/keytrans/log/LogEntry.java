package org.parley.keytrans.log;

import java.nio.ByteBuffer;

/**
 * The draft's {@code LogEntry} (section "Cryptographic Computations / Log Tree"): the timestamp in
 * milliseconds since the Unix epoch and the prefix tree root value after the entry's changes.
 *
 * <pre>
 * struct {
 *   uint64 timestamp;
 *   opaque prefix_tree[Hash.Nh];
 * } LogEntry;
 * </pre>
 *
 * @param timestamp milliseconds since the Unix epoch, read as an unsigned 64-bit integer
 * @param prefixTree the prefix tree root value
 */
public record LogEntry(long timestamp, HashValue prefixTree) {
  public LogEntry {
    if (prefixTree == null) {
      throw new IllegalArgumentException("prefixTree is required");
    }
  }

  /** The TLS-presentation encoding: 8-byte big-endian timestamp, then the prefix tree root. */
  public byte[] encode() {
    byte[] out = new byte[8 + prefixTree.length()];
    ByteBuffer.wrap(out).putLong(timestamp);
    prefixTree.writeTo(out, 8);
    return out;
  }

  /** Decodes exactly one {@code LogEntry} whose prefix tree value has {@code hashLength} bytes. */
  public static LogEntry decode(byte[] encoded, int hashLength) throws MalformedEncodingException {
    if (hashLength <= 0) {
      throw new IllegalArgumentException("hashLength must be positive");
    }
    if (encoded == null || encoded.length != 8 + hashLength) {
      throw new MalformedEncodingException(
          "LogEntry must be exactly " + (8 + hashLength) + " bytes");
    }
    ByteBuffer in = ByteBuffer.wrap(encoded);
    long timestamp = in.getLong();
    byte[] root = new byte[hashLength];
    in.get(root);
    return new LogEntry(timestamp, HashValue.wrap(root));
  }
}
