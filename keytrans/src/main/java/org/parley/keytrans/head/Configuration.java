package org.parley.keytrans.head;

import java.util.OptionalLong;
import org.parley.keytrans.log.MalformedEncodingException;
import org.parley.keytrans.suite.CipherSuite;
import org.parley.keytrans.suite.SignaturePublicKey;
import org.parley.keytrans.tls.TlsReader;
import org.parley.keytrans.tls.TlsWriter;
import org.parley.keytrans.vrf.VrfPublicKey;

/**
 * The draft's long-term {@code Configuration} of a Transparency Log (section "Tree Head
 * Signature"), signed into every tree head. Durations are milliseconds, read as unsigned 64 bits.
 *
 * <p>Encoding, in order: {@code uint16 ciphersuite}, {@code uint8 mode}, {@code
 * signature_public_key} and {@code vrf_public_key} each as a 2-byte count then the bytes; for
 * thirdPartyManagement {@code leaf_public_key} (2-byte count, bytes); for thirdPartyAuditing {@code
 * uint64 max_auditor_lag}, {@code uint64 auditor_start_pos}, {@code auditor_public_key} (2-byte
 * count, bytes); then {@code uint64 max_ahead}, {@code uint64 max_behind}, {@code uint64
 * reasonable_monitoring_window}, and {@code optional<uint64> maximum_lifetime} as a presence byte
 * (0 or 1) followed, if 1, by the 8-byte value. Every key must have its suite's length.
 */
public record Configuration(
    CipherSuite suite,
    SignaturePublicKey signaturePublicKey,
    VrfPublicKey vrfPublicKey,
    ModeParameters modeParameters,
    long maxAhead,
    long maxBehind,
    long reasonableMonitoringWindow,
    OptionalLong maximumLifetime) {

  public Configuration {
    if (suite == null
        || signaturePublicKey == null
        || vrfPublicKey == null
        || modeParameters == null
        || maximumLifetime == null) {
      throw new IllegalArgumentException("every Configuration field is required");
    }
    String problem = keyProblem(suite, signaturePublicKey, vrfPublicKey, modeParameters);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  /** The deployment mode. */
  public DeploymentMode mode() {
    return modeParameters.mode();
  }

  /** The TLS-presentation encoding. */
  public byte[] encode() {
    TlsWriter out = new TlsWriter();
    writeTo(out);
    return out.toByteArray();
  }

  public void writeTo(TlsWriter out) {
    out.u16(suite.id()).u8(mode().code());
    out.opaque16(signaturePublicKey.bytes()).opaque16(vrfPublicKey.bytes());
    switch (modeParameters) {
      case ModeParameters.ContactMonitoring c -> {}
      case ModeParameters.ThirdPartyManagement m -> out.opaque16(m.leafPublicKey().bytes());
      case ModeParameters.ThirdPartyAuditing a ->
          out.u64(a.maxAuditorLag())
              .u64(a.auditorStartPos())
              .opaque16(a.auditorPublicKey().bytes());
    }
    out.u64(maxAhead).u64(maxBehind).u64(reasonableMonitoringWindow);
    if (maximumLifetime.isPresent()) {
      out.u8(1).u64(maximumLifetime.getAsLong());
    } else {
      out.u8(0);
    }
  }

  /** Decodes exactly one {@code Configuration}; unknown suites and modes are malformed. */
  public static Configuration decode(byte[] encoded) throws MalformedEncodingException {
    if (encoded == null) {
      throw new MalformedEncodingException("no bytes");
    }
    TlsReader in = new TlsReader(encoded);
    Configuration config = readFrom(in);
    in.end();
    return config;
  }

  public static Configuration readFrom(TlsReader in) throws MalformedEncodingException {
    int suiteId = in.u16();
    CipherSuite suite =
        CipherSuite.byId(suiteId)
            .orElseThrow(() -> new MalformedEncodingException("unknown cipher suite " + suiteId));
    int modeCode = in.u8();
    DeploymentMode mode =
        DeploymentMode.byCode(modeCode)
            .orElseThrow(() -> new MalformedEncodingException("bad deployment mode " + modeCode));
    SignaturePublicKey signatureKey = new SignaturePublicKey(in.opaque16());
    VrfPublicKey vrfKey = new VrfPublicKey(in.opaque16());
    ModeParameters params =
        switch (mode) {
          case CONTACT_MONITORING -> new ModeParameters.ContactMonitoring();
          case THIRD_PARTY_MANAGEMENT ->
              new ModeParameters.ThirdPartyManagement(new SignaturePublicKey(in.opaque16()));
          case THIRD_PARTY_AUDITING -> {
            long lag = in.u64();
            long start = in.u64();
            yield new ModeParameters.ThirdPartyAuditing(
                lag, start, new SignaturePublicKey(in.opaque16()));
          }
        };
    long maxAhead = in.u64();
    long maxBehind = in.u64();
    long window = in.u64();
    int present = in.u8();
    OptionalLong lifetime =
        switch (present) {
          case 0 -> OptionalLong.empty();
          case 1 -> OptionalLong.of(in.u64());
          default -> throw new MalformedEncodingException("presence byte " + present);
        };
    String problem = keyProblem(suite, signatureKey, vrfKey, params);
    if (problem != null) {
      throw new MalformedEncodingException(problem);
    }
    return new Configuration(
        suite, signatureKey, vrfKey, params, maxAhead, maxBehind, window, lifetime);
  }

  private static String keyProblem(
      CipherSuite suite,
      SignaturePublicKey signatureKey,
      VrfPublicKey vrfKey,
      ModeParameters params) {
    int signatureKeyLength = suite.signatureScheme().publicKeyLength();
    if (signatureKey.bytes().length != signatureKeyLength) {
      return "signature_public_key must be " + signatureKeyLength + " bytes";
    }
    if (vrfKey.bytes().length != suite.vrf().publicKeyLength()) {
      return "vrf_public_key must be " + suite.vrf().publicKeyLength() + " bytes";
    }
    SignaturePublicKey third =
        switch (params) {
          case ModeParameters.ContactMonitoring c -> null;
          case ModeParameters.ThirdPartyManagement m -> m.leafPublicKey();
          case ModeParameters.ThirdPartyAuditing a -> a.auditorPublicKey();
        };
    if (third != null && third.bytes().length != signatureKeyLength) {
      return "third-party public key must be " + signatureKeyLength + " bytes";
    }
    return null;
  }
}
