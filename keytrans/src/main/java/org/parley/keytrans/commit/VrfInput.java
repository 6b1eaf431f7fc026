package org.parley.keytrans.commit;

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
    Encoder.version(version);
  }

  /** The input for this label and version. */
  public static VrfInput of(Label label, long version) {
    return new VrfInput(label, version);
  }

  /** The bytes the VRF is evaluated on (alpha). */
  public byte[] encode() {
    Encoder out = new Encoder();
    label.writeTo(out);
    return out.u32(version).toByteArray();
  }
}
