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
 * uint64 start; optional<uint32> greatest_version; } OwnerMonitorRequest;}
 */
public record OwnerMonitorRequest(
    OptionalLong last,
    Label label,
    List<MonitorMapEntry> entries,
    long start,
    OptionalLong greatestVersion) {
  public OwnerMonitorRequest {
    Objects.requireNonNull(last, "last");
    Objects.requireNonNull(label, "label");
    entries = List.copyOf(entries);
    Objects.requireNonNull(greatestVersion, "greatestVersion");
    if (start < 0) {
      throw new IllegalArgumentException("start must be a position");
    }
  }

  public byte[] encode() {
    TlsWriter out = new TlsWriter();
    out.optionalU64(last);
    label.writeTo(out);
    Codec.writeVector(out, 0xFF, entries, (o, e) -> e.writeTo(o));
    out.u64(start);
    out.optionalU32(greatestVersion);
    return out.toByteArray();
  }

  public static OwnerMonitorRequest decode(byte[] bytes) throws MalformedEncodingException {
    TlsReader in = new TlsReader(bytes);
    OwnerMonitorRequest request =
        new OwnerMonitorRequest(
            Requests.last(in),
            Label.readFrom(in),
            Codec.readVector(in, 0xFF, MonitorMapEntry::readFrom),
            Codec.positionFrom(in),
            in.optionalU32());
    in.end();
    return request;
  }
}
