package org.parley.keytrans.suite;

import java.util.Arrays;
import java.util.HexFormat;

/** An encoded tree-head signature public key, as carried in Configuration. */
public record SignaturePublicKey(byte[] bytes) {
  public SignaturePublicKey {
    bytes = bytes.clone();
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SignaturePublicKey other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "SignaturePublicKey[" + HexFormat.of().formatHex(bytes) + "]";
  }
}
