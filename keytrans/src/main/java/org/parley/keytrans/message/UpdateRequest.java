package org.parley.keytrans.message;

import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import org.parley.keytrans.commit.Label;
import org.parley.keytrans.log.MalformedEncodingException;
import org.parley.keytrans.tls.TlsReader;
import org.parley.keytrans.tls.TlsWriter;

/**
 * {@code struct { optional<uint64> last; opaque label<0..2^8-1>; optional<uint32> greatest_version;
 * LabelValue values<0..2^8-1>; } UpdateRequest;} with {@code LabelValue} = {@code opaque
 * value<0..2^32-1>}. Parley's owners send it with no values, to be told of versions the server
 * created (device-list changes); see docs/spec/keytrans.md.
 */
public record UpdateRequest(
    OptionalLong last, Label label, OptionalLong greatestVersion, List<byte[]> values) {
  public UpdateRequest {
    Objects.requireNonNull(last, "last");
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(greatestVersion, "greatestVersion");
    values = values.stream().map(byte[]::clone).toList();
  }

  public byte[] encode() {
    TlsWriter out = new TlsWriter();
    out.optionalU64(last);
    label.writeTo(out);
    out.optionalU32(greatestVersion);
    Codec.writeVector(out, 0xFF, values, (o, v) -> o.u32(v.length).fixed(v));
    return out.toByteArray();
  }

  public static UpdateRequest decode(byte[] bytes) throws MalformedEncodingException {
    TlsReader in = new TlsReader(bytes);
    UpdateRequest request =
        new UpdateRequest(
            Requests.last(in),
            Label.readFrom(in),
            in.optionalU32(),
            Codec.readVector(in, 0xFF, r -> r.fixed(r.u32())));
    in.end();
    return request;
  }
}
