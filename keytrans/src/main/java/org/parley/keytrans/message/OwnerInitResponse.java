package org.parley.keytrans.message;

import java.util.List;
import java.util.Objects;
import org.parley.keytrans.combined.CombinedTreeProof;
import org.parley.keytrans.head.Configuration;
import org.parley.keytrans.head.FullTreeHead;
import org.parley.keytrans.log.MalformedEncodingException;
import org.parley.keytrans.tls.TlsReader;
import org.parley.keytrans.tls.TlsWriter;

/**
 * {@code struct { FullTreeHead full_tree_head; uint32 greatest_versions<0..2^8-1>; BinaryLadderStep
 * binary_ladder<0..2^16-1>; CombinedTreeProof init; } OwnerInitResponse;}
 */
public record OwnerInitResponse(
    FullTreeHead fullTreeHead,
    List<Long> greatestVersions,
    List<BinaryLadderStep> binaryLadder,
    CombinedTreeProof init) {
  public OwnerInitResponse {
    Objects.requireNonNull(fullTreeHead, "fullTreeHead");
    greatestVersions = List.copyOf(greatestVersions);
    binaryLadder = List.copyOf(binaryLadder);
    Objects.requireNonNull(init, "init");
  }

  public byte[] encode(Configuration config) {
    TlsWriter out = new TlsWriter();
    fullTreeHead.writeTo(out, config.mode());
    Codec.writeVector(out, 0xFF, greatestVersions, TlsWriter::u32);
    Codec.writeVector(out, 0xFFFF, binaryLadder, (o, s) -> s.writeTo(o));
    init.writeTo(out);
    return out.toByteArray();
  }

  public static OwnerInitResponse decode(byte[] bytes, Configuration config)
      throws MalformedEncodingException {
    TlsReader in = new TlsReader(bytes);
    OwnerInitResponse response =
        new OwnerInitResponse(
            FullTreeHead.readFrom(in, config.mode()),
            Codec.readVector(in, 0xFF, TlsReader::u32),
            Codec.readVector(in, 0xFFFF, r -> BinaryLadderStep.readFrom(r, config.suite())),
            CombinedTreeProof.readFrom(in));
    in.end();
    return response;
  }
}
