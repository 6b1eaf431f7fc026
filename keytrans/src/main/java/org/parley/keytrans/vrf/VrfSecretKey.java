package org.parley.keytrans.vrf;

import java.security.MessageDigest;
import java.util.Arrays;

/** An encoded VRF secret key (SK); never printed, compared in constant time. */
public record VrfSecretKey(byte[] bytes) {
  public VrfSecretKey {
    bytes = bytes.clone();
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VrfSecretKey other && MessageDigest.isEqual(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return bytes.length;
  }

  @Override
  public String toString() {
    return "VrfSecretKey[REDACTED]";
  }

  /** For callers that must wipe a key they no longer need. */
  public void destroy() {
    Arrays.fill(bytes, (byte) 0);
  }
}
