package org.parley.keytrans.suite;

import java.security.MessageDigest;

/** An encoded tree-head signing key; never printed, compared in constant time. */
public record SignatureSecretKey(byte[] bytes) {
  public SignatureSecretKey {
    bytes = bytes.clone();
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SignatureSecretKey other && MessageDigest.isEqual(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return bytes.length;
  }

  @Override
  public String toString() {
    return "SignatureSecretKey[REDACTED]";
  }
}
