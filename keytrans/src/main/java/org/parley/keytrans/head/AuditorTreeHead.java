package org.parley.keytrans.head;

import java.util.Arrays;
import java.util.HexFormat;
import org.parley.keytrans.log.MalformedEncodingException;
import org.parley.keytrans.tls.TlsReader;
import org.parley.keytrans.tls.TlsWriter;

/**
 * The draft's {@code AuditorTreeHead}: {@code uint64 timestamp} (raw 64 bits), {@code uint64
 * tree_size} (1..2^63-1), then {@code opaque signature<0..2^16-1>} (2-byte count, bytes).
 */
public record AuditorTreeHead(long timestamp, long treeSize, byte[] signature) {
  public AuditorTreeHead {
    if (treeSize <= 0) {
      throw new IllegalArgumentException("tree size must be in 1..2^63-1");
    }
    if (signature.length > 0xFFFF) {
      throw new IllegalArgumentException("signature longer than 2^16-1");
    }
    signature = signature.clone();
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  /** The TLS-presentation encoding. */
  public byte[] encode() {
    TlsWriter out = new TlsWriter();
    writeTo(out);
    return out.toByteArray();
  }

  public void writeTo(TlsWriter out) {
    out.u64(timestamp).u64(treeSize).opaque16(signature);
  }

  /** Decodes exactly one {@code AuditorTreeHead}. */
  public static AuditorTreeHead decode(byte[] encoded) throws MalformedEncodingException {
    if (encoded == null) {
      throw new MalformedEncodingException("no bytes");
    }
    TlsReader in = new TlsReader(encoded);
    AuditorTreeHead head = readFrom(in);
    in.end();
    return head;
  }

  public static AuditorTreeHead readFrom(TlsReader in) throws MalformedEncodingException {
    long timestamp = in.u64();
    long size = in.u64();
    if (size <= 0) {
      throw new MalformedEncodingException("tree size must be in 1..2^63-1");
    }
    return new AuditorTreeHead(timestamp, size, in.opaque16());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AuditorTreeHead other
        && timestamp == other.timestamp
        && treeSize == other.treeSize
        && Arrays.equals(signature, other.signature);
  }

  @Override
  public int hashCode() {
    return (Long.hashCode(timestamp) * 31 + Long.hashCode(treeSize)) * 31
        + Arrays.hashCode(signature);
  }

  @Override
  public String toString() {
    return "AuditorTreeHead[timestamp="
        + timestamp
        + ", treeSize="
        + treeSize
        + ", signature="
        + HexFormat.of().formatHex(signature)
        + "]";
  }
}
