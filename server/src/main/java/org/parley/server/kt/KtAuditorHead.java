package org.parley.server.kt;

import java.util.Arrays;
import java.util.HexFormat;

/** The latest tree head an auditor signed for the log, kept to be handed to clients. */
public record KtAuditorHead(
    byte[] auditorPublicKey, long treeSize, long timestamp, byte[] signature) {
  public KtAuditorHead {
    if (treeSize <= 0) {
      throw new IllegalArgumentException("tree size must be positive: " + treeSize);
    }
    auditorPublicKey = auditorPublicKey.clone();
    signature = signature.clone();
  }

  @Override
  public byte[] auditorPublicKey() {
    return auditorPublicKey.clone();
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KtAuditorHead other
        && treeSize == other.treeSize
        && timestamp == other.timestamp
        && Arrays.equals(auditorPublicKey, other.auditorPublicKey)
        && Arrays.equals(signature, other.signature);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(auditorPublicKey) * 31 + Long.hashCode(treeSize);
  }

  @Override
  public String toString() {
    HexFormat hex = HexFormat.of();
    return "KtAuditorHead[auditorPublicKey="
        + hex.formatHex(auditorPublicKey)
        + ", treeSize="
        + treeSize
        + ", timestamp="
        + timestamp
        + ", signature="
        + hex.formatHex(signature)
        + "]";
  }
}
