package org.parley.keytrans.vrf;

import java.util.Arrays;
import java.util.HexFormat;

/** A VRF proof (pi_string) as bytes; its structure is checked by {@link Vrf#verify}. */
public record VrfProof(byte[] bytes) {
  public VrfProof {
    bytes = bytes.clone();
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VrfProof other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "VrfProof[" + HexFormat.of().formatHex(bytes) + "]";
  }
}
