package org.parley.keytrans.commit;

import org.parley.keytrans.tls.TlsWriter;

/**
 * The draft's {@code VrfInput} (section "Verifiable Random Function"): the label (1-byte length,
 * bytes) then {@code uint32 version} (4 bytes big-endian). Its VRF output is the prefix-tree search
 * key of the label-version pair.
 *
 * @param version a uint32, 0..2^32-1
 */
public record VrfInput(Label label, long version) {
  public VrfInput {
    if (label == null) {
      throw new IllegalArgumentException("label is required");
    }
    checkVersion(version);
  }

  /** The input for this label and version. */
  public static VrfInput of(Label label, long version) {
    return new VrfInput(label, version);
  }

  /** The bytes the VRF is evaluated on (alpha). */
  public byte[] encode() {
    TlsWriter out = new TlsWriter();
    label.writeTo(out);
    return out.u32(version).toByteArray();
  }

  /** Checks a label version: a {@code uint32}, carried in a long. */
  static long checkVersion(long version) {
    if (version < 0 || version > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("version must be in 0..2^32-1");
    }
    return version;
  }
}
