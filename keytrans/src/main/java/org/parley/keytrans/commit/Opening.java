package org.parley.keytrans.commit;

import java.security.MessageDigest;
import java.security.SecureRandom;
import org.parley.keytrans.suite.CipherSuite;
import org.parley.keytrans.tls.TlsWriter;

/**
 * A commitment opening, {@code opaque opening[Nc]}: kept apart from the commitment so a server can
 * delete it, which makes the committed value unrecoverable; never printed.
 */
public final class Opening {
  private final byte[] bytes;

  private Opening(byte[] bytes) {
    this.bytes = bytes;
  }

  /** A fresh uniformly random opening. */
  public static Opening random(SecureRandom random) {
    byte[] bytes = new byte[CipherSuite.NC];
    random.nextBytes(bytes);
    return new Opening(bytes);
  }

  /** An opening from its {@code Nc} bytes (stored or derived by the log). */
  public static Opening of(byte[] bytes) {
    if (bytes.length != CipherSuite.NC) {
      throw new IllegalArgumentException("an opening is " + CipherSuite.NC + " bytes");
    }
    return new Opening(bytes.clone());
  }

  /** A copy of the bytes, for storing or sending to the user who may see them. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** Reads one opening ({@code Nc} bytes) from an enclosing structure. */
  public static Opening readFrom(org.parley.keytrans.tls.TlsReader in)
      throws org.parley.keytrans.log.MalformedEncodingException {
    return new Opening(in.fixed(CipherSuite.NC));
  }

  public void writeTo(TlsWriter out) {
    out.fixed(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Opening other && MessageDigest.isEqual(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return bytes.length;
  }

  @Override
  public String toString() {
    return "Opening[REDACTED]";
  }
}
