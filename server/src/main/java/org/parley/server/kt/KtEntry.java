package org.parley.server.kt;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * One entry of the key-transparency log, one per published epoch: its position (0, 1, 2, ...
 * without gaps), the timestamp and prefix-tree root that make up the log leaf, and the server's
 * signature over the tree head of size {@code position + 1}.
 */
public record KtEntry(long position, long timestamp, byte[] prefixRoot, byte[] treeHeadSignature) {
  public KtEntry {
    if (position < 0) {
      throw new IllegalArgumentException("log position must not be negative: " + position);
    }
    prefixRoot = prefixRoot.clone();
    treeHeadSignature = treeHeadSignature.clone();
  }

  @Override
  public byte[] prefixRoot() {
    return prefixRoot.clone();
  }

  @Override
  public byte[] treeHeadSignature() {
    return treeHeadSignature.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KtEntry other
        && position == other.position
        && timestamp == other.timestamp
        && Arrays.equals(prefixRoot, other.prefixRoot)
        && Arrays.equals(treeHeadSignature, other.treeHeadSignature);
  }

  @Override
  public int hashCode() {
    return (Long.hashCode(position) * 31 + Long.hashCode(timestamp)) * 31
        + Arrays.hashCode(prefixRoot);
  }

  @Override
  public String toString() {
    HexFormat hex = HexFormat.of();
    return "KtEntry[position="
        + position
        + ", timestamp="
        + timestamp
        + ", prefixRoot="
        + hex.formatHex(prefixRoot)
        + ", treeHeadSignature="
        + hex.formatHex(treeHeadSignature)
        + "]";
  }
}
