package org.parley.keytrans.combined;

import java.util.ArrayList;
import java.util.List;
import org.parley.keytrans.log.HashValue;
import org.parley.keytrans.log.InclusionProof;
import org.parley.keytrans.log.MalformedEncodingException;
import org.parley.keytrans.prefix.ElementDictionary;
import org.parley.keytrans.prefix.PrefixProof;
import org.parley.keytrans.suite.CipherSuite;
import org.parley.keytrans.tls.TlsReader;
import org.parley.keytrans.tls.TlsWriter;

/**
 * The draft's {@code CombinedTreeProof} (section "Tree Proofs / Combined Tree"):
 *
 * <pre>
 * struct {
 *   uint64 timestamps&lt;0..2^8-1&gt;;
 *   PrefixProof prefix_proofs&lt;0..2^8-1&gt;;  // repeated elements by index: see below
 *   HashValue prefix_roots&lt;0..2^8-1&gt;;
 *   InclusionProof inclusion;
 * } CombinedTreeProof;
 * </pre>
 *
 * Each vector has a 1-byte element count. Which log entry an element belongs to is only known by
 * running the algorithm the proof was made for ({@link ProofWalk}). Parley departs from the draft
 * in one place: a prefix proof's element whose value an earlier prefix proof of the same combined
 * proof already carried (a node that did not change between the entries searched) is sent as a
 * 2-byte index ({@link PrefixProof#encodeCompact}), which keeps search responses within their size
 * target (docs/benchmarks.md).
 */
public record CombinedTreeProof(
    List<Long> timestamps,
    List<PrefixProof> prefixProofs,
    List<HashValue> prefixRoots,
    InclusionProof inclusion) {
  /** Each of the three vectors holds at most 255 elements. */
  public static final int MAX_ELEMENTS = 0xFF;

  public CombinedTreeProof {
    timestamps = List.copyOf(timestamps);
    prefixProofs = List.copyOf(prefixProofs);
    prefixRoots = List.copyOf(prefixRoots);
    if (inclusion == null) {
      throw new NullPointerException("inclusion");
    }
    if (timestamps.size() > MAX_ELEMENTS
        || prefixProofs.size() > MAX_ELEMENTS
        || prefixRoots.size() > MAX_ELEMENTS) {
      throw new IllegalArgumentException("a CombinedTreeProof vector holds at most 255 elements");
    }
    for (HashValue root : prefixRoots) {
      if (root.length() != CipherSuite.NH) {
        throw new IllegalArgumentException("a prefix root has " + CipherSuite.NH + " bytes");
      }
    }
  }

  /** The TLS-presentation encoding. */
  public byte[] encode() {
    TlsWriter out = new TlsWriter();
    writeTo(out);
    return out.toByteArray();
  }

  /** Appends the encoding to an enclosing structure. */
  public void writeTo(TlsWriter out) {
    out.u8(timestamps.size());
    timestamps.forEach(out::u64);
    out.u8(prefixProofs.size());
    ElementDictionary dictionary = new ElementDictionary();
    prefixProofs.forEach(p -> out.fixed(p.encodeCompact(dictionary)));
    out.u8(prefixRoots.size());
    prefixRoots.forEach(r -> out.fixed(r.toByteArray()));
    out.fixed(inclusion.encode());
  }

  /** Decodes exactly one proof. */
  public static CombinedTreeProof decode(byte[] encoded) throws MalformedEncodingException {
    if (encoded == null) {
      throw new MalformedEncodingException("no bytes");
    }
    TlsReader in = new TlsReader(encoded);
    CombinedTreeProof proof = readFrom(in);
    in.end();
    return proof;
  }

  /** Reads one proof embedded in an enclosing structure. */
  public static CombinedTreeProof readFrom(TlsReader in) throws MalformedEncodingException {
    int count = in.u8();
    List<Long> timestamps = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      timestamps.add(in.u64());
    }
    count = in.u8();
    List<PrefixProof> proofs = new ArrayList<>(count);
    ElementDictionary dictionary = new ElementDictionary();
    for (int i = 0; i < count; i++) {
      proofs.add(in.embedded(b -> PrefixProof.readCompact(b, dictionary)));
    }
    count = in.u8();
    List<HashValue> roots = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      roots.add(HashValue.of(in.fixed(CipherSuite.NH)));
    }
    InclusionProof inclusion = in.embedded(b -> InclusionProof.read(b, CipherSuite.NH));
    return new CombinedTreeProof(timestamps, proofs, roots, inclusion);
  }
}
