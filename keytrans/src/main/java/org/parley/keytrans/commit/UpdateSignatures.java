package org.parley.keytrans.commit;

import org.parley.keytrans.head.Configuration;
import org.parley.keytrans.head.ModeParameters;
import org.parley.keytrans.suite.SignatureScheme;
import org.parley.keytrans.suite.SignatureSecretKey;
import org.parley.keytrans.tls.TlsWriter;

/**
 * The Service Operator's signature on an update in thirdPartyManagement mode, over the draft's
 * {@code UpdateTBS}: the encoded {@link Configuration}, the label (1-byte length, bytes), {@code
 * uint32 version}, then {@code opaque value<0..2^32-1>} (4-byte count, bytes).
 */
public final class UpdateSignatures {
  private UpdateSignatures() {}

  /** The {@code UpdateTBS} bytes. */
  public static byte[] toBeSigned(Configuration config, Label label, long version, byte[] value) {
    TlsWriter out = new TlsWriter().fixed(config.encode());
    label.writeTo(out);
    return out.u32(VrfInput.checkVersion(version)).u32(value.length).fixed(value).toByteArray();
  }

  /**
   * An {@link UpdateValue} carrying the operator's signature; the key must match leaf_public_key.
   */
  public static UpdateValue sign(
      SignatureSecretKey leafKey, Configuration config, Label label, long version, byte[] value) {
    SignatureScheme scheme = config.suite().signatureScheme();
    if (!scheme.publicKey(leafKey).equals(management(config).leafPublicKey())) {
      throw new IllegalArgumentException("secret key does not match leaf_public_key");
    }
    return UpdateValue.signed(
        value, scheme.sign(leafKey, toBeSigned(config, label, version, value)));
  }

  /** Checks the suffix signature before the value may be used; pure. */
  public static void verify(Configuration config, Label label, long version, UpdateValue update)
      throws InvalidUpdateSignatureException {
    if (!(config.modeParameters() instanceof ModeParameters.ThirdPartyManagement m)) {
      throw new InvalidUpdateSignatureException("configuration is not thirdPartyManagement");
    }
    byte[] signature =
        update
            .signature()
            .orElseThrow(() -> new InvalidUpdateSignatureException("update is not signed"));
    byte[] tbs = toBeSigned(config, label, version, update.value());
    if (!config.suite().signatureScheme().verify(m.leafPublicKey(), tbs, signature)) {
      throw new InvalidUpdateSignatureException("update signature does not verify");
    }
  }

  private static ModeParameters.ThirdPartyManagement management(Configuration config) {
    if (config.modeParameters() instanceof ModeParameters.ThirdPartyManagement m) {
      return m;
    }
    throw new IllegalArgumentException("configuration is not thirdPartyManagement");
  }
}
