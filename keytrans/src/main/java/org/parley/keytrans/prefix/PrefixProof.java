package org.parley.keytrans.prefix;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.parley.keytrans.log.HashValue;
import org.parley.keytrans.log.MalformedEncodingException;
import org.parley.keytrans.suite.CipherSuite;

/**
 * The draft's {@code PrefixProof} (section "Tree Proofs / Prefix Tree"): the search result for each
 * requested key, in request order, and the copath values, left to right, that hash together with
 * the terminal nodes to the root.
 *
 * <pre>
 * struct {
 *   PrefixSearchResult results&lt;0..2^8-1&gt;;
 *   HashValue elements&lt;0..2^16-1&gt;;
 * } PrefixProof;
 * </pre>
 *
 * <p>Encoded as a 1-byte result count, the results, a 2-byte big-endian element count and the
 * elements (vector bounds count elements, not bytes). A result is its type byte, for {@code
 * nonInclusionLeaf} the 64-byte {@code PrefixLeaf}, then the depth byte.
 *
 * @param results one per searched key, at most 255
 * @param elements the copath values (an all-zero value for a missing node), at most 65535
 */
public record PrefixProof(List<PrefixSearchResult> results, List<HashValue> elements) {
  /** The largest number of results a vector {@code <0..2^8-1>} can hold. */
  public static final int MAX_RESULTS = 0xFF;

  /** The largest number of elements a vector {@code <0..2^16-1>} can hold. */
  public static final int MAX_ELEMENTS = 0xFFFF;

  public PrefixProof {
    results = List.copyOf(results);
    elements = List.copyOf(elements);
    if (results.size() > MAX_RESULTS) {
      throw new IllegalArgumentException("more than " + MAX_RESULTS + " results");
    }
    if (elements.size() > MAX_ELEMENTS) {
      throw new IllegalArgumentException("more than " + MAX_ELEMENTS + " elements");
    }
    for (HashValue e : elements) {
      if (e.length() != CipherSuite.NH) {
        throw new IllegalArgumentException("an element has " + CipherSuite.NH + " bytes");
      }
    }
  }

  /** The encoded length in bytes. */
  public int encodedLength() {
    int n = 1 + 2 + elements.size() * CipherSuite.NH;
    for (PrefixSearchResult r : results) {
      n += 2 + (r instanceof PrefixSearchResult.NonInclusionLeaf ? PrefixLeaf.ENCODED_LENGTH : 0);
    }
    return n;
  }

  /** The TLS-presentation encoding. */
  public byte[] encode() {
    ByteBuffer out = ByteBuffer.allocate(encodedLength());
    out.put((byte) results.size());
    for (PrefixSearchResult r : results) {
      out.put((byte) r.resultType());
      if (r instanceof PrefixSearchResult.NonInclusionLeaf nl) {
        out.put(nl.leaf().vrfOutput().bytes());
        out.put(nl.leaf().commitment().toByteArray());
      }
      out.put((byte) r.depth());
    }
    out.putShort((short) elements.size());
    for (HashValue e : elements) {
      out.put(e.toByteArray());
    }
    return out.array();
  }

  /** Decodes exactly one proof from {@code encoded}; trailing bytes are rejected. */
  public static PrefixProof decode(byte[] encoded) throws MalformedEncodingException {
    if (encoded == null) {
      throw new MalformedEncodingException("no bytes");
    }
    ByteBuffer in = ByteBuffer.wrap(encoded);
    PrefixProof proof = read(in);
    if (in.hasRemaining()) {
      throw new MalformedEncodingException(in.remaining() + " trailing bytes after PrefixProof");
    }
    return proof;
  }

  /**
   * Reads one proof from {@code in}'s position, for use inside an enclosing structure such as
   * {@code CombinedTreeProof}; on success the position is just past the proof.
   */
  public static PrefixProof read(ByteBuffer in) throws MalformedEncodingException {
    int resultCount = readUint8(in, "PrefixProof results length");
    // At most 255 results: the list is small whatever the bytes say.
    List<PrefixSearchResult> results = new ArrayList<>(resultCount);
    for (int i = 0; i < resultCount; i++) {
      results.add(readResult(in));
    }
    if (in.remaining() < 2) {
      throw new MalformedEncodingException("truncated PrefixProof elements length");
    }
    int count = Short.toUnsignedInt(in.getShort());
    long bytes = (long) count * CipherSuite.NH;
    if (in.remaining() < bytes) {
      throw new MalformedEncodingException(
          "truncated PrefixProof: "
              + count
              + " elements need "
              + bytes
              + " bytes, "
              + in.remaining()
              + " remain");
    }
    List<HashValue> elements = new ArrayList<>(count);
    byte[] value = new byte[CipherSuite.NH];
    for (int i = 0; i < count; i++) {
      in.get(value);
      elements.add(HashValue.of(value));
    }
    return new PrefixProof(results, elements);
  }

  /** The result type of a {@code nonInclusionLeaf} whose leaf was sent before, by index. */
  static final int REPEATED_LEAF = 4;

  /**
   * The encoding inside a {@code CombinedTreeProof}, where what an earlier part of the same proof
   * already carried is sent as an index into {@code dictionary}: {@code u8 count, results | u16
   * count | ceil(count / 8) bytes of flags, most significant bit first, a set flag marking a
   * repeated element | each element: repeated ? index : value[Nh]}; a {@code nonInclusionLeaf}
   * whose leaf was sent before is the result {@code u8 4 | index | u8 depth}. An index is a u8
   * while at most 256 values (or leaves) are known, else a u16. The encoding is canonical: an
   * element or leaf is sent by index exactly when the dictionary holds it.
   */
  public byte[] encodeCompact(ElementDictionary dictionary) {
    int n = elements.size();
    ByteBuffer out = ByteBuffer.allocate(encodedLength() + 2 + (n + 7) / 8);
    out.put((byte) results.size());
    for (PrefixSearchResult r : results) {
      if (r instanceof PrefixSearchResult.NonInclusionLeaf nl) {
        java.util.OptionalInt earlier = dictionary.indexOf(nl.leaf());
        if (earlier.isPresent()) {
          out.put((byte) REPEATED_LEAF);
          putIndex(out, earlier.getAsInt(), dictionary.narrowLeaves());
        } else {
          out.put((byte) r.resultType());
          out.put(nl.leaf().vrfOutput().bytes());
          out.put(nl.leaf().commitment().toByteArray());
          dictionary.add(nl.leaf());
        }
      } else {
        out.put((byte) r.resultType());
      }
      out.put((byte) r.depth());
    }
    out.putShort((short) n);
    int flagsAt = out.position();
    out.position(flagsAt + (n + 7) / 8);
    for (int i = 0; i < n; i++) {
      HashValue e = elements.get(i);
      java.util.OptionalInt earlier = dictionary.indexOf(e);
      if (earlier.isPresent()) {
        out.put(flagsAt + (i >> 3), (byte) (out.get(flagsAt + (i >> 3)) | (0x80 >>> (i & 7))));
        putIndex(out, earlier.getAsInt(), dictionary.narrow());
      } else {
        out.put(e.toByteArray());
        dictionary.add(e);
      }
    }
    return java.util.Arrays.copyOf(out.array(), out.position());
  }

  private static void putIndex(ByteBuffer out, int index, boolean narrow) {
    if (narrow) {
      out.put((byte) index);
    } else {
      out.putShort((short) index);
    }
  }

  private static int readIndex(ByteBuffer in, boolean narrow, String what)
      throws MalformedEncodingException {
    if (in.remaining() < (narrow ? 1 : 2)) {
      throw new MalformedEncodingException("truncated " + what);
    }
    return narrow ? Byte.toUnsignedInt(in.get()) : Short.toUnsignedInt(in.getShort());
  }

  /** Reads one proof in the encoding of {@link #encodeCompact}, extending {@code dictionary}. */
  public static PrefixProof readCompact(ByteBuffer in, ElementDictionary dictionary)
      throws MalformedEncodingException {
    int resultCount = readUint8(in, "PrefixProof results length");
    List<PrefixSearchResult> results = new ArrayList<>(resultCount);
    for (int i = 0; i < resultCount; i++) {
      results.add(readCompactResult(in, dictionary));
    }
    if (in.remaining() < 2) {
      throw new MalformedEncodingException("truncated PrefixProof elements length");
    }
    int count = Short.toUnsignedInt(in.getShort());
    int flagBytes = (count + 7) / 8;
    if (in.remaining() < flagBytes) {
      throw new MalformedEncodingException("truncated PrefixProof element flags");
    }
    byte[] flags = new byte[flagBytes];
    in.get(flags);
    if ((count & 7) != 0 && (flags[flagBytes - 1] & (0xff >>> (count & 7))) != 0) {
      throw new MalformedEncodingException("PrefixProof element flags beyond the last element");
    }
    List<HashValue> elements = new ArrayList<>(Math.min(count, in.remaining()));
    byte[] value = new byte[CipherSuite.NH];
    for (int i = 0; i < count; i++) {
      if ((flags[i >> 3] & (0x80 >>> (i & 7))) != 0) {
        HashValue earlier =
            dictionary.get(readIndex(in, dictionary.narrow(), "PrefixProof element reference"));
        if (earlier == null) {
          throw new MalformedEncodingException("PrefixProof element refers to no earlier one");
        }
        elements.add(earlier);
      } else {
        if (in.remaining() < CipherSuite.NH) {
          throw new MalformedEncodingException("truncated PrefixProof element");
        }
        in.get(value);
        HashValue e = HashValue.of(value);
        if (dictionary.indexOf(e).isPresent()) {
          throw new MalformedEncodingException(
              "PrefixProof element repeats an earlier one (or the zero value) in full (not"
                  + " canonical)");
        }
        dictionary.add(e);
        elements.add(e);
      }
    }
    return new PrefixProof(results, elements);
  }

  private static PrefixSearchResult readCompactResult(ByteBuffer in, ElementDictionary dictionary)
      throws MalformedEncodingException {
    if (!in.hasRemaining()) {
      throw new MalformedEncodingException("truncated PrefixSearchResultType");
    }
    int type = Byte.toUnsignedInt(in.get(in.position()));
    if (type == REPEATED_LEAF) {
      in.get();
      PrefixLeaf leaf =
          dictionary.leaf(readIndex(in, dictionary.narrowLeaves(), "PrefixLeaf reference"));
      if (leaf == null) {
        throw new MalformedEncodingException("PrefixLeaf reference refers to no earlier leaf");
      }
      return new PrefixSearchResult.NonInclusionLeaf(leaf, readUint8(in, "depth"));
    }
    PrefixSearchResult result = readResult(in);
    if (result instanceof PrefixSearchResult.NonInclusionLeaf nl) {
      if (dictionary.indexOf(nl.leaf()).isPresent()) {
        throw new MalformedEncodingException(
            "PrefixLeaf repeats an earlier one in full (not canonical)");
      }
      dictionary.add(nl.leaf());
    }
    return result;
  }

  private static PrefixSearchResult readResult(ByteBuffer in) throws MalformedEncodingException {
    int type = readUint8(in, "PrefixSearchResultType");
    return switch (type) {
      case 1 -> new PrefixSearchResult.Inclusion(readUint8(in, "depth"));
      case 2 -> {
        if (in.remaining() < PrefixLeaf.ENCODED_LENGTH) {
          throw new MalformedEncodingException("truncated PrefixLeaf");
        }
        byte[] key = new byte[SearchKey.LENGTH];
        byte[] commitment = new byte[CipherSuite.NH];
        in.get(key);
        in.get(commitment);
        PrefixLeaf leaf = new PrefixLeaf(SearchKey.wrap(key), HashValue.of(commitment));
        yield new PrefixSearchResult.NonInclusionLeaf(leaf, readUint8(in, "depth"));
      }
      case 3 -> new PrefixSearchResult.NonInclusionParent(readUint8(in, "depth"));
      default -> throw new MalformedEncodingException("unknown PrefixSearchResultType " + type);
    };
  }

  private static int readUint8(ByteBuffer in, String what) throws MalformedEncodingException {
    if (!in.hasRemaining()) {
      throw new MalformedEncodingException("truncated " + what);
    }
    return Byte.toUnsignedInt(in.get());
  }
}
