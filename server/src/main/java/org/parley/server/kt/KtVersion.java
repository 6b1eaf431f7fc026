package org.parley.server.kt;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * One version of a label: the log position of the entry that inserted it, the VRF proof of its
 * search key, and the opening and value bytes of its commitment. Everything a search or monitor
 * response needs about the version that the trees do not hold.
 */
public record KtVersion(
    byte[] label, long version, long position, byte[] vrfProof, byte[] opening, byte[] value) {
  public KtVersion {
    if (version < 0) {
      throw new IllegalArgumentException("label version must not be negative: " + version);
    }
    if (position < 0) {
      throw new IllegalArgumentException("log position must not be negative: " + position);
    }
    label = label.clone();
    vrfProof = vrfProof.clone();
    opening = opening.clone();
    value = value.clone();
  }

  @Override
  public byte[] label() {
    return label.clone();
  }

  @Override
  public byte[] vrfProof() {
    return vrfProof.clone();
  }

  @Override
  public byte[] opening() {
    return opening.clone();
  }

  @Override
  public byte[] value() {
    return value.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KtVersion other
        && version == other.version
        && position == other.position
        && Arrays.equals(label, other.label)
        && Arrays.equals(vrfProof, other.vrfProof)
        && Arrays.equals(opening, other.opening)
        && Arrays.equals(value, other.value);
  }

  @Override
  public int hashCode() {
    return (Arrays.hashCode(label) * 31 + Long.hashCode(version)) * 31 + Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    HexFormat hex = HexFormat.of();
    return "KtVersion[label="
        + hex.formatHex(label)
        + ", version="
        + version
        + ", position="
        + position
        + ", vrfProof="
        + hex.formatHex(vrfProof)
        + ", opening="
        + hex.formatHex(opening)
        + ", value="
        + hex.formatHex(value)
        + "]";
  }
}
