package org.parley.keytrans.head;

import java.util.Arrays;
import java.util.HexFormat;
import org.parley.keytrans.log.MalformedEncodingException;
import org.parley.keytrans.tls.TlsReader;
import org.parley.keytrans.tls.TlsWriter;

/**
 * The draft's {@code TreeHead}: {@code uint64 tree_size} (8 bytes big-endian, 1..2^63-1), then
 * {@code opaque signature<0..2^16-1>} (2-byte count, bytes). Unverified until {@link
 * TreeHeads#verify} accepts it.
 */
public record TreeHead(long treeSize, byte[] signature) {
  public TreeHead {
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
    out.u64(treeSize).opaque16(signature);
  }

  /** Decodes exactly one {@code TreeHead}. */
  public static TreeHead decode(byte[] encoded) throws MalformedEncodingException {
    if (encoded == null) {
      throw new MalformedEncodingException("no bytes");
    }
    TlsReader in = new TlsReader(encoded);
    TreeHead head = readFrom(in);
    in.end();
    return head;
  }

  public static TreeHead readFrom(TlsReader in) throws MalformedEncodingException {
    long size = in.u64();
    if (size <= 0) {
      throw new MalformedEncodingException("tree size must be in 1..2^63-1");
    }
    return new TreeHead(size, in.opaque16());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TreeHead other
        && treeSize == other.treeSize
        && Arrays.equals(signature, other.signature);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(treeSize) * 31 + Arrays.hashCode(signature);
  }

  @Override
  public String toString() {
    return "TreeHead[treeSize="
        + treeSize
        + ", signature="
        + HexFormat.of().formatHex(signature)
        + "]";
  }
}
