package org.parley.keytrans.message;

import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import org.parley.keytrans.commit.Label;
import org.parley.keytrans.log.MalformedEncodingException;
import org.parley.keytrans.tls.TlsReader;
import org.parley.keytrans.tls.TlsWriter;

/**
 * {@code struct { optional<uint64> last; opaque label<0..2^8-1>; MonitorMapEntry entries<0..2^8-1>;
 * } ContactMonitorRequest;}
 */
public record ContactMonitorRequest(OptionalLong last, Label label, List<MonitorMapEntry> entries) {
  public ContactMonitorRequest {
    Objects.requireNonNull(last, "last");
    Objects.requireNonNull(label, "label");
    entries = List.copyOf(entries);
  }

  public byte[] encode() {
    TlsWriter out = new TlsWriter();
    out.optionalU64(last);
    label.writeTo(out);
    Codec.writeVector(out, 0xFF, entries, (o, e) -> e.writeTo(o));
    return out.toByteArray();
  }

  public static ContactMonitorRequest decode(byte[] bytes) throws MalformedEncodingException {
    TlsReader in = new TlsReader(bytes);
    ContactMonitorRequest request =
        new ContactMonitorRequest(
            Requests.last(in),
            Label.readFrom(in),
            Codec.readVector(in, 0xFF, MonitorMapEntry::readFrom));
    in.end();
    return request;
  }
}
