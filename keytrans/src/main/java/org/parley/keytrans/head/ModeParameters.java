package org.parley.keytrans.head;

import org.parley.keytrans.suite.SignaturePublicKey;

/** The mode-dependent part of a {@link Configuration} (the draft's {@code select (mode)}). */
public sealed interface ModeParameters {

  /** The deployment mode these parameters belong to. */
  DeploymentMode mode();

  /** Contact Monitoring: no extra fields. */
  record ContactMonitoring() implements ModeParameters {
    @Override
    public DeploymentMode mode() {
      return DeploymentMode.CONTACT_MONITORING;
    }
  }

  /** Third-Party Management: the Service Operator's key that signs each update. */
  record ThirdPartyManagement(SignaturePublicKey leafPublicKey) implements ModeParameters {
    public ThirdPartyManagement {
      if (leafPublicKey == null) {
        throw new IllegalArgumentException("leafPublicKey is required");
      }
    }

    @Override
    public DeploymentMode mode() {
      return DeploymentMode.THIRD_PARTY_MANAGEMENT;
    }
  }

  /**
   * Third-Party Auditing.
   *
   * @param maxAuditorLag milliseconds, unsigned 64 bits
   * @param auditorStartPos the first log entry the auditor processed, unsigned 64 bits
   * @param auditorPublicKey verifies {@code AuditorTreeHead} signatures
   */
  record ThirdPartyAuditing(
      long maxAuditorLag, long auditorStartPos, SignaturePublicKey auditorPublicKey)
      implements ModeParameters {
    public ThirdPartyAuditing {
      if (auditorPublicKey == null) {
        throw new IllegalArgumentException("auditorPublicKey is required");
      }
    }

    @Override
    public DeploymentMode mode() {
      return DeploymentMode.THIRD_PARTY_AUDITING;
    }
  }
}
