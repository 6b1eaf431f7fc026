package org.parley.server.kt;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A prefix-tree leaf written by one log entry: the search key (a VRF output) and the commitment it
 * now holds. Replaying the leaves of every entry in order rebuilds the prefix tree; a key written
 * again replaces its commitment.
 */
public record KtLeaf(byte[] vrfOutput, byte[] commitment) {
  public KtLeaf {
    vrfOutput = vrfOutput.clone();
    commitment = commitment.clone();
  }

  @Override
  public byte[] vrfOutput() {
    return vrfOutput.clone();
  }

  @Override
  public byte[] commitment() {
    return commitment.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KtLeaf other
        && Arrays.equals(vrfOutput, other.vrfOutput)
        && Arrays.equals(commitment, other.commitment);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(vrfOutput) * 31 + Arrays.hashCode(commitment);
  }

  @Override
  public String toString() {
    HexFormat hex = HexFormat.of();
    return "KtLeaf[vrfOutput="
        + hex.formatHex(vrfOutput)
        + ", commitment="
        + hex.formatHex(commitment)
        + "]";
  }
}
