package org.parley.crypto;

import java.util.Objects;

/**
 * This device's stored identity, as {@link ProtocolState} keeps it: libsignal's serialized identity
 * key pair (contains the PRIVATE key) and the registration id. Never printed.
 */
public record LocalIdentity(byte[] serializedKeyPair, int registrationId) {
  public LocalIdentity {
    serializedKeyPair = Objects.requireNonNull(serializedKeyPair, "serializedKeyPair").clone();
  }

  @Override
  public byte[] serializedKeyPair() {
    return serializedKeyPair.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LocalIdentity other
        && registrationId == other.registrationId
        && java.security.MessageDigest.isEqual(serializedKeyPair, other.serializedKeyPair);
  }

  @Override
  public int hashCode() {
    return registrationId;
  }

  @Override
  public String toString() {
    return "LocalIdentity[registrationId=" + registrationId + ", keyPair=[REDACTED]]";
  }
}
