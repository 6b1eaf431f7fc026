package org.parley.keytrans.message;

import java.util.Objects;
import org.parley.keytrans.combined.CombinedTreeProof;
import org.parley.keytrans.head.Configuration;
import org.parley.keytrans.head.FullTreeHead;
import org.parley.keytrans.log.MalformedEncodingException;
import org.parley.keytrans.tls.TlsReader;
import org.parley.keytrans.tls.TlsWriter;

/**
 * {@code struct { FullTreeHead full_tree_head; CombinedTreeProof monitor; }}: the draft's {@code
 * ContactMonitorResponse} and {@code OwnerMonitorResponse}, which have the same shape.
 */
public record MonitorResponse(FullTreeHead fullTreeHead, CombinedTreeProof monitor) {
  public MonitorResponse {
    Objects.requireNonNull(fullTreeHead, "fullTreeHead");
    Objects.requireNonNull(monitor, "monitor");
  }

  public byte[] encode(Configuration config) {
    TlsWriter out = new TlsWriter();
    fullTreeHead.writeTo(out, config.mode());
    monitor.writeTo(out);
    return out.toByteArray();
  }

  public static MonitorResponse decode(byte[] bytes, Configuration config)
      throws MalformedEncodingException {
    TlsReader in = new TlsReader(bytes);
    MonitorResponse response =
        new MonitorResponse(
            FullTreeHead.readFrom(in, config.mode()), CombinedTreeProof.readFrom(in));
    in.end();
    return response;
  }
}
