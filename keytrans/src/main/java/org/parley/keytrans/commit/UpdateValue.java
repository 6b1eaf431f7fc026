package org.parley.keytrans.commit;

import java.util.Arrays;
import java.util.Optional;
import org.parley.keytrans.head.DeploymentMode;
import org.parley.keytrans.log.MalformedEncodingException;
import org.parley.keytrans.tls.TlsReader;
import org.parley.keytrans.tls.TlsWriter;

/**
 * The draft's {@code UpdateValue} (section "Update Format"): {@code opaque value<0..2^32-1>} as a
 * 4-byte count then the bytes, then the {@code UpdateSuffix}, which in thirdPartyManagement mode is
 * the Service Operator's {@code opaque signature<0..2^16-1>} (2-byte count, bytes) and otherwise
 * empty.
 */
public final class UpdateValue {
  private final byte[] value;
  private final byte[] signature;

  private UpdateValue(byte[] value, byte[] signature) {
    this.value = value;
    this.signature = signature;
  }

  /** A value with an empty suffix (every mode but thirdPartyManagement). */
  public static UpdateValue of(byte[] value) {
    return new UpdateValue(value.clone(), null);
  }

  /** A value with the Service Operator's signature over {@code UpdateTBS} as its suffix. */
  public static UpdateValue signed(byte[] value, byte[] signature) {
    if (signature.length > 0xFFFF) {
      throw new IllegalArgumentException("signature longer than 2^16-1");
    }
    return new UpdateValue(value.clone(), signature.clone());
  }

  /** A copy of the value. */
  public byte[] value() {
    return value.clone();
  }

  /** A copy of the Service Operator's signature, if this value carries one. */
  public Optional<byte[]> signature() {
    return Optional.ofNullable(signature).map(byte[]::clone);
  }

  /** The TLS-presentation encoding. */
  public byte[] encode() {
    TlsWriter out = new TlsWriter();
    writeTo(out);
    return out.toByteArray();
  }

  public void writeTo(TlsWriter out) {
    out.u32(value.length).fixed(value);
    if (signature != null) {
      out.u16(signature.length).fixed(signature);
    }
  }

  /** Reads one {@code UpdateValue} of a log in this mode from an enclosing structure. */
  public static UpdateValue readFrom(org.parley.keytrans.tls.TlsReader in, DeploymentMode mode)
      throws MalformedEncodingException {
    byte[] value = in.fixed(in.u32());
    byte[] signature = mode == DeploymentMode.THIRD_PARTY_MANAGEMENT ? in.fixed(in.u16()) : null;
    return new UpdateValue(value, signature);
  }

  /** Decodes exactly one {@code UpdateValue} of a log in this mode. */
  public static UpdateValue decode(byte[] encoded, DeploymentMode mode)
      throws MalformedEncodingException {
    if (encoded == null || mode == null) {
      throw new MalformedEncodingException("no bytes");
    }
    TlsReader in = new TlsReader(encoded);
    byte[] value = in.fixed(in.u32());
    byte[] signature = mode == DeploymentMode.THIRD_PARTY_MANAGEMENT ? in.fixed(in.u16()) : null;
    in.end();
    return new UpdateValue(value, signature);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UpdateValue other
        && Arrays.equals(value, other.value)
        && Arrays.equals(signature, other.signature);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(value) * 31 + Arrays.hashCode(signature);
  }

  @Override
  public String toString() {
    return "UpdateValue[" + value.length + " bytes" + (signature == null ? "" : ", signed") + "]";
  }
}
