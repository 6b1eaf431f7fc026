package org.parley.server.kt;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import org.parley.protocol.AccountId;

/**
 * A label version's VRF proof made when a change to {@code account} was recorded, kept until the
 * epoch that publishes the version: {@code sealed} is what {@code TransparencyLog.seal} made, so
 * the publisher takes it back only if it is this log's own for exactly this label and version.
 */
public record KtEarlyProof(AccountId account, byte[] label, long version, byte[] sealed) {
  public KtEarlyProof {
    Objects.requireNonNull(account, "account");
    if (version < 0) {
      throw new IllegalArgumentException("label version must not be negative: " + version);
    }
    label = label.clone();
    sealed = sealed.clone();
  }

  @Override
  public byte[] label() {
    return label.clone();
  }

  @Override
  public byte[] sealed() {
    return sealed.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KtEarlyProof other
        && account.equals(other.account)
        && version == other.version
        && Arrays.equals(label, other.label)
        && Arrays.equals(sealed, other.sealed);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(label) * 31 + Long.hashCode(version);
  }

  @Override
  public String toString() {
    return "KtEarlyProof[account="
        + account
        + ", label="
        + HexFormat.of().formatHex(label)
        + ", version="
        + version
        + "]";
  }
}
