package org.parley.keytrans.message;

import org.parley.keytrans.log.MalformedEncodingException;
import org.parley.keytrans.search.BinaryLadder;
import org.parley.keytrans.tls.TlsReader;
import org.parley.keytrans.tls.TlsWriter;

/** {@code struct { uint64 position; uint32 version; } MonitorMapEntry;} */
public record MonitorMapEntry(long position, long version) {
  public MonitorMapEntry {
    if (position < 0 || version < 0 || version > BinaryLadder.MAX_VERSION) {
      throw new IllegalArgumentException("position must be non-negative, version a uint32");
    }
  }

  public void writeTo(TlsWriter out) {
    out.u64(position).u32(version);
  }

  public static MonitorMapEntry readFrom(TlsReader in) throws MalformedEncodingException {
    long position = in.u64();
    if (position < 0) {
      throw new MalformedEncodingException("position beyond 2^63-1");
    }
    return new MonitorMapEntry(position, in.u32());
  }
}
