package org.parley.keytrans.head;

import java.util.Optional;

/** The draft's {@code DeploymentMode} enum (one byte on the wire; 0 is reserved). */
public enum DeploymentMode {
  CONTACT_MONITORING(1),
  THIRD_PARTY_MANAGEMENT(2),
  THIRD_PARTY_AUDITING(3);

  private final int code;

  DeploymentMode(int code) {
    this.code = code;
  }

  /** The uint8 code point. */
  public int code() {
    return code;
  }

  /** The mode with this code point; empty for reserved(0) and unassigned values. */
  public static Optional<DeploymentMode> byCode(int code) {
    for (DeploymentMode mode : values()) {
      if (mode.code == code) {
        return Optional.of(mode);
      }
    }
    return Optional.empty();
  }
}
