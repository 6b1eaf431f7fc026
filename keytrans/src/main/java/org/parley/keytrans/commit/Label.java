package org.parley.keytrans.commit;

import java.util.Arrays;
import java.util.HexFormat;
import org.parley.keytrans.tls.TlsWriter;

/** A label as the draft encodes it, {@code opaque label<0..2^8-1>}: at most 255 bytes. */
public record Label(byte[] bytes) {
  /** The largest label length. */
  public static final int MAX_LENGTH = 0xFF;

  public Label {
    if (bytes.length > MAX_LENGTH) {
      throw new IllegalArgumentException("label longer than 255 bytes");
    }
    bytes = bytes.clone();
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  /** Reads one label from an enclosing structure. */
  public static Label readFrom(org.parley.keytrans.tls.TlsReader in)
      throws org.parley.keytrans.log.MalformedEncodingException {
    return new Label(in.fixed(in.u8()));
  }

  public void writeTo(TlsWriter out) {
    out.u8(bytes.length).fixed(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Label other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "Label[" + HexFormat.of().formatHex(bytes) + "]";
  }
}
