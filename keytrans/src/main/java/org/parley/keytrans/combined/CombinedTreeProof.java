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
 *   uint64 timestamps&lt;0..2^8-1&gt;;           // each a varint of the zigzag difference: see below
 *   PrefixProof prefix_proofs&lt;0..2^8-1&gt;;  // repeated elements by index: see below
 *   HashValue prefix_roots&lt;0..2^8-1&gt;;
 *   InclusionProof inclusion;
 * } CombinedTreeProof;
 * </pre>
 *
 * Each vector has a 1-byte element count. Which log entry an element belongs to is only known by
 * running the algorithm the proof was made for ({@link ProofWalk}). Parley departs from the draft
 * in what it does not repeat, which keeps search responses within their size target
 * (docs/benchmarks.md): a prefix proof's element whose value an earlier one of the same combined
 * proof already carried (a node that did not change between the entries searched; the missing-node
 * value) and a {@code nonInclusionLeaf}'s leaf sent before are sent as indices ({@link
 * PrefixProof#encodeCompact}); each timestamp is the difference from the one before it,
 * zigzag-encoded, as a LEB128 varint (entries a search visits are minutes to days apart: 3 to 5
 * bytes instead of 8).
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
    long previous = 0;
    for (long t : timestamps) {
      long delta = t - previous; // modulo 2^64, read as signed: neighbours are close in time
      out.varint((delta << 1) ^ (delta >> 63)); // zigzag: small either way, never negative
      previous = t;
    }
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
    long previous = 0;
    for (int i = 0; i < count; i++) {
      long zigzag = in.varint();
      previous += (zigzag >>> 1) ^ -(zigzag & 1);
      timestamps.add(previous);
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
