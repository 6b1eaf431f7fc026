package org.parley.keytrans.head;

import org.parley.keytrans.log.HashValue;
import org.parley.keytrans.suite.SignatureScheme;
import org.parley.keytrans.suite.SignatureSecretKey;
import org.parley.keytrans.tls.TlsWriter;

/**
 * Signing and pure signature verification of auditor tree heads over the draft's {@code
 * AuditorTreeHeadTBS}: the encoded {@link Configuration}, {@code uint64 timestamp}, {@code uint64
 * tree_size}, then {@code opaque root[Hash.Nh]}. Only for thirdPartyAuditing configurations.
 */
public final class AuditorTreeHeads {
  private AuditorTreeHeads() {}

  /** The {@code AuditorTreeHeadTBS} bytes. */
  public static byte[] toBeSigned(
      Configuration config, long timestamp, long treeSize, HashValue root) {
    auditing(config);
    return anyModeToBeSigned(config, timestamp, treeSize, root);
  }

  /**
   * Parley's independent auditors (docs/spec/keytrans.md, "Auditing"): an auditor that is not named
   * in the log's Configuration (contact-monitoring mode) signs the same {@code AuditorTreeHeadTBS}
   * with its own key; clients that choose to require it know the key.
   */
  public static AuditorTreeHead signIndependent(
      SignatureSecretKey auditorKey,
      Configuration config,
      long timestamp,
      long treeSize,
      HashValue root) {
    byte[] tbs = anyModeToBeSigned(config, timestamp, treeSize, root);
    return new AuditorTreeHead(
        timestamp, treeSize, config.suite().signatureScheme().sign(auditorKey, tbs));
  }

  /** Checks an independent auditor's head for the root the caller computed. */
  public static void verifyIndependent(
      org.parley.keytrans.suite.SignaturePublicKey auditorKey,
      Configuration config,
      AuditorTreeHead head,
      HashValue root)
      throws InvalidTreeHeadException {
    if (root.length() != config.suite().hashLength() || head.treeSize() <= 0) {
      throw new InvalidTreeHeadException("root is not Hash.Nh bytes");
    }
    byte[] tbs = anyModeToBeSigned(config, head.timestamp(), head.treeSize(), root);
    if (!config.suite().signatureScheme().verify(auditorKey, tbs, head.signature())) {
      throw new InvalidTreeHeadException("auditor tree head signature does not verify");
    }
  }

  private static byte[] anyModeToBeSigned(
      Configuration config, long timestamp, long treeSize, HashValue root) {
    TreeHeads.checkArguments(config, treeSize, root);
    TlsWriter out = new TlsWriter();
    config.writeTo(out);
    return out.u64(timestamp).u64(treeSize).fixed(root.toByteArray()).toByteArray();
  }

  /** Signs with the auditor's key, which must be behind {@code auditor_public_key}. */
  public static AuditorTreeHead sign(
      SignatureSecretKey auditorKey,
      Configuration config,
      long timestamp,
      long treeSize,
      HashValue root) {
    SignatureScheme scheme = config.suite().signatureScheme();
    if (!scheme.publicKey(auditorKey).equals(auditing(config).auditorPublicKey())) {
      throw new IllegalArgumentException("secret key does not match auditor_public_key");
    }
    byte[] tbs = toBeSigned(config, timestamp, treeSize, root);
    return new AuditorTreeHead(timestamp, treeSize, scheme.sign(auditorKey, tbs));
  }

  /**
   * Checks the signature (the draft's step 4 of "Auditor Tree Head Signature") for the root the
   * caller computed for {@code head.treeSize()} leaves. Steps 1-3 compare against the previous
   * head, the rightmost log entry and the current {@link TreeHead}; the caller does those.
   */
  public static VerifiedAuditorTreeHead verify(
      Configuration config, AuditorTreeHead head, HashValue root) throws InvalidTreeHeadException {
    if (config.mode() != DeploymentMode.THIRD_PARTY_AUDITING) {
      throw new InvalidTreeHeadException("configuration has no Third-Party Auditor");
    }
    if (root.length() != config.suite().hashLength()) {
      throw new InvalidTreeHeadException("root is not Hash.Nh bytes");
    }
    byte[] tbs = toBeSigned(config, head.timestamp(), head.treeSize(), root);
    if (!config
        .suite()
        .signatureScheme()
        .verify(auditing(config).auditorPublicKey(), tbs, head.signature())) {
      throw new InvalidTreeHeadException("auditor tree head signature does not verify");
    }
    return new VerifiedAuditorTreeHead(config, head, root);
  }

  private static ModeParameters.ThirdPartyAuditing auditing(Configuration config) {
    if (config.modeParameters() instanceof ModeParameters.ThirdPartyAuditing a) {
      return a;
    }
    throw new IllegalArgumentException("configuration is not thirdPartyAuditing");
  }
}
