package org.parley.keytrans.message;

import java.util.Objects;
import java.util.OptionalLong;
import org.parley.keytrans.commit.Label;
import org.parley.keytrans.log.MalformedEncodingException;
import org.parley.keytrans.tls.TlsReader;
import org.parley.keytrans.tls.TlsWriter;

/**
 * {@code struct { optional<uint64> last; opaque label<0..2^8-1>; uint64 start; } OwnerInitRequest;}
 */
public record OwnerInitRequest(OptionalLong last, Label label, long start) {
  public OwnerInitRequest {
    Objects.requireNonNull(last, "last");
    Objects.requireNonNull(label, "label");
    if (start < 0) {
      throw new IllegalArgumentException("start must be a position");
    }
  }

  public byte[] encode() {
    TlsWriter out = new TlsWriter();
    out.optionalU64(last);
    label.writeTo(out);
    out.u64(start);
    return out.toByteArray();
  }

  public static OwnerInitRequest decode(byte[] bytes) throws MalformedEncodingException {
    TlsReader in = new TlsReader(bytes);
    OwnerInitRequest request =
        new OwnerInitRequest(Requests.last(in), Label.readFrom(in), Codec.positionFrom(in));
    in.end();
    return request;
  }
}
