package org.parley.keytrans.message;

import java.util.Objects;
import java.util.OptionalLong;
import org.parley.keytrans.commit.Label;
import org.parley.keytrans.log.MalformedEncodingException;
import org.parley.keytrans.tls.TlsReader;
import org.parley.keytrans.tls.TlsWriter;

/**
 * {@code struct { optional<uint64> last; opaque label<0..2^8-1>; optional<uint32> version; }
 * SearchRequest;} — {@code version} empty asks for the greatest version.
 */
public record SearchRequest(OptionalLong last, Label label, OptionalLong version) {
  public SearchRequest {
    Objects.requireNonNull(last, "last");
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(version, "version");
  }

  public byte[] encode() {
    TlsWriter out = new TlsWriter();
    out.optionalU64(last);
    label.writeTo(out);
    out.optionalU32(version);
    return out.toByteArray();
  }

  public static SearchRequest decode(byte[] bytes) throws MalformedEncodingException {
    TlsReader in = new TlsReader(bytes);
    SearchRequest request =
        new SearchRequest(Requests.last(in), Label.readFrom(in), in.optionalU32());
    in.end();
    return request;
  }
}
