package org.parley.keytrans.message;

import java.util.List;
import java.util.Objects;
import org.parley.keytrans.combined.CombinedTreeProof;
import org.parley.keytrans.commit.Opening;
import org.parley.keytrans.head.Configuration;
import org.parley.keytrans.head.DeploymentMode;
import org.parley.keytrans.head.FullTreeHead;
import org.parley.keytrans.log.MalformedEncodingException;
import org.parley.keytrans.tls.TlsReader;
import org.parley.keytrans.tls.TlsWriter;

/**
 * The draft's {@code UpdateResponse} for the contact-monitoring and third-party-auditing modes (no
 * {@code skipped_versions}, no update suffix): {@code FullTreeHead full_tree_head; uint64 position;
 * LabelValue values<0..2^8-1>; UpdateInfo info<0..2^8-1>; BinaryLadderStep binary_ladder<0..2^8-1>;
 * CombinedTreeProof update;} with {@code UpdateInfo} = {@code opaque opening[Nc]}.
 */
public record UpdateResponse(
    FullTreeHead fullTreeHead,
    long position,
    List<byte[]> values,
    List<Opening> info,
    List<BinaryLadderStep> binaryLadder,
    CombinedTreeProof update) {
  public UpdateResponse {
    Objects.requireNonNull(fullTreeHead, "fullTreeHead");
    values = values.stream().map(byte[]::clone).toList();
    info = List.copyOf(info);
    binaryLadder = List.copyOf(binaryLadder);
    Objects.requireNonNull(update, "update");
    if (position < 0) {
      throw new IllegalArgumentException("position must be non-negative");
    }
  }

  public byte[] encode(Configuration config) {
    requireMode(config);
    TlsWriter out = new TlsWriter();
    fullTreeHead.writeTo(out, config.mode());
    out.u64(position);
    Codec.writeVector(out, 0xFF, values, (o, v) -> o.u32(v.length).fixed(v));
    Codec.writeVector(out, 0xFF, info, (o, opening) -> opening.writeTo(o));
    Codec.writeVector(out, 0xFF, binaryLadder, (o, s) -> s.writeTo(o));
    update.writeTo(out);
    return out.toByteArray();
  }

  public static UpdateResponse decode(byte[] bytes, Configuration config)
      throws MalformedEncodingException {
    requireMode(config);
    TlsReader in = new TlsReader(bytes);
    UpdateResponse response =
        new UpdateResponse(
            FullTreeHead.readFrom(in, config.mode()),
            Codec.positionFrom(in),
            Codec.readVector(in, 0xFF, r -> r.fixed(r.u32())),
            Codec.readVector(in, 0xFF, Opening::readFrom),
            Codec.readVector(in, 0xFF, r -> BinaryLadderStep.readFrom(r, config.suite())),
            CombinedTreeProof.readFrom(in));
    in.end();
    return response;
  }

  private static void requireMode(Configuration config) {
    if (config.mode() == DeploymentMode.THIRD_PARTY_MANAGEMENT) {
      // that mode adds skipped_versions and a signed suffix, which this record does not carry
      throw new IllegalArgumentException(
          "an UpdateResponse of a third-party-managed log has another layout");
    }
  }
}
