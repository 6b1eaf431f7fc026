package org.parley.keytrans.vrf;

import java.util.Arrays;
import java.util.HexFormat;

/** An encoded VRF public key (PK_string); checked when a proof is verified against it. */
public record VrfPublicKey(byte[] bytes) {
  public VrfPublicKey {
    bytes = bytes.clone();
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VrfPublicKey other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "VrfPublicKey[" + HexFormat.of().formatHex(bytes) + "]";
  }
}
