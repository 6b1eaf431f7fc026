package org.parley.keytrans.message;

import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import org.parley.keytrans.combined.CombinedTreeProof;
import org.parley.keytrans.commit.Opening;
import org.parley.keytrans.commit.UpdateValue;
import org.parley.keytrans.head.Configuration;
import org.parley.keytrans.head.FullTreeHead;
import org.parley.keytrans.log.MalformedEncodingException;
import org.parley.keytrans.tls.TlsReader;
import org.parley.keytrans.tls.TlsWriter;

/**
 * The draft's {@code SearchResponse}: the tree head, the greatest version (only when the request
 * named none), the opening and value of the target version, the binary ladder's VRF proofs (and
 * commitments) and the combined proof of the view update and the search.
 */
public record SearchResponse(
    FullTreeHead fullTreeHead,
    OptionalLong version,
    Opening opening,
    UpdateValue value,
    List<BinaryLadderStep> binaryLadder,
    CombinedTreeProof search) {
  public SearchResponse {
    Objects.requireNonNull(fullTreeHead, "fullTreeHead");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(opening, "opening");
    Objects.requireNonNull(value, "value");
    binaryLadder = List.copyOf(binaryLadder);
    Objects.requireNonNull(search, "search");
  }

  public byte[] encode(Configuration config) {
    TlsWriter out = new TlsWriter();
    fullTreeHead.writeTo(out, config.mode());
    version.ifPresent(out::u32);
    opening.writeTo(out);
    value.writeTo(out);
    Codec.writeVector(out, 0xFF, binaryLadder, (o, step) -> step.writeTo(o));
    search.writeTo(out);
    return out.toByteArray();
  }

  /** Decodes the answer to {@code request}, which decides whether {@code version} is present. */
  public static SearchResponse decode(byte[] bytes, Configuration config, SearchRequest request)
      throws MalformedEncodingException {
    TlsReader in = new TlsReader(bytes);
    FullTreeHead head = FullTreeHead.readFrom(in, config.mode());
    OptionalLong version =
        request.version().isPresent() ? OptionalLong.empty() : OptionalLong.of(in.u32());
    Opening opening = Opening.readFrom(in);
    UpdateValue value = UpdateValue.readFrom(in, config.mode());
    List<BinaryLadderStep> ladder =
        Codec.readVector(in, 0xFF, r -> BinaryLadderStep.readFrom(r, config.suite()));
    CombinedTreeProof search = CombinedTreeProof.readFrom(in);
    in.end();
    return new SearchResponse(head, version, opening, value, ladder, search);
  }
}
