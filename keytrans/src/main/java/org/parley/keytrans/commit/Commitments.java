package org.parley.keytrans.commit;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.parley.keytrans.suite.CipherSuite;
import org.parley.keytrans.tls.TlsWriter;

/**
 * Commitments (draft section "Commitment"): {@code HMAC(Kc, CommitmentValue)} with the suite's
 * hash, where {@code CommitmentValue} is the opening ({@code Nc} bytes, no prefix), the label
 * (1-byte length, bytes), {@code uint32 version} and the encoded {@link UpdateValue}.
 */
public final class Commitments {
  private Commitments() {}

  /** The {@code CommitmentValue} bytes that are MACed. */
  public static byte[] commitmentValue(
      Opening opening, Label label, long version, UpdateValue update) {
    TlsWriter out = new TlsWriter();
    opening.writeTo(out);
    label.writeTo(out);
    out.u32(VrfInput.checkVersion(version));
    update.writeTo(out);
    return out.toByteArray();
  }

  /** The commitment to {@code update} as version {@code version} of {@code label}. */
  public static Commitment commit(
      CipherSuite suite, Opening opening, Label label, long version, UpdateValue update) {
    return Commitment.wrap(hmac(suite, commitmentValue(opening, label, version, update)));
  }

  /** Whether the opening opens the commitment to this label, version and update (constant time). */
  public static boolean opens(
      CipherSuite suite,
      Commitment commitment,
      Opening opening,
      Label label,
      long version,
      UpdateValue update) {
    return MessageDigest.isEqual(
        commitment.bytes(), commit(suite, opening, label, version, update).bytes());
  }

  private static byte[] hmac(CipherSuite suite, byte[] message) {
    // Both suites hash with SHA-256 (docs/spec/keytrans.md); a suite with another hash needs its
    // own HMAC here.
    String algorithm =
        switch (suite.id()) {
          case 0x0001, 0x0002 -> "HmacSHA256";
          default -> throw new IllegalArgumentException("no HMAC for suite " + suite.name());
        };
    try {
      Mac mac = Mac.getInstance(algorithm);
      mac.init(new SecretKeySpec(suite.commitmentKey(), algorithm));
      return mac.doFinal(message);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java runtime has " + algorithm, e);
    }
  }
}
