package org.parley.keytrans.log;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The draft's batched log tree proof (section "Tree Proofs / Log Tree"): the head values of
 * balanced subtrees, in left-to-right order, that complete the inclusion and consistency proofs of
 * one {@link ProofScope}.
 *
 * <pre>
 * opaque HashValue[Hash.Nh];
 *
 * struct {
 *   HashValue elements&lt;0..2^16-1&gt;;
 * } InclusionProof;
 * </pre>
 *
 * <p>Encoded as a 2-byte big-endian element count followed by the elements (the draft's vector
 * bounds count elements, not bytes).
 *
 * @param elements the node values, at most 65535
 */
public record InclusionProof(List<HashValue> elements) {
  /** The largest number of elements a vector {@code <0..2^16-1>} can hold. */
  public static final int MAX_ELEMENTS = 0xFFFF;

  public InclusionProof {
    elements = List.copyOf(elements);
    if (elements.size() > MAX_ELEMENTS) {
      throw new IllegalArgumentException("more than " + MAX_ELEMENTS + " elements");
    }
    for (HashValue e : elements) {
      if (e.length() != elements.get(0).length()) {
        throw new IllegalArgumentException("elements differ in length");
      }
    }
  }

  /** The encoded length in bytes. */
  public int encodedLength() {
    return 2 + (elements.isEmpty() ? 0 : elements.size() * elements.get(0).length());
  }

  /** The TLS-presentation encoding. */
  public byte[] encode() {
    byte[] out = new byte[encodedLength()];
    out[0] = (byte) (elements.size() >>> 8);
    out[1] = (byte) elements.size();
    int offset = 2;
    for (HashValue e : elements) {
      e.writeTo(out, offset);
      offset += e.length();
    }
    return out;
  }

  /** Decodes exactly one proof from {@code encoded}; trailing bytes are rejected. */
  public static InclusionProof decode(byte[] encoded, int hashLength)
      throws MalformedEncodingException {
    if (encoded == null) {
      throw new MalformedEncodingException("no bytes");
    }
    ByteBuffer in = ByteBuffer.wrap(encoded);
    InclusionProof proof = read(in, hashLength);
    if (in.hasRemaining()) {
      throw new MalformedEncodingException(in.remaining() + " trailing bytes after InclusionProof");
    }
    return proof;
  }

  /**
   * Reads one proof from {@code in}'s position, for use inside an enclosing structure such as
   * {@code CombinedTreeProof}; on success the position is just past the proof.
   */
  public static InclusionProof read(ByteBuffer in, int hashLength)
      throws MalformedEncodingException {
    if (hashLength <= 0) {
      throw new IllegalArgumentException("hashLength must be positive");
    }
    if (in.remaining() < 2) {
      throw new MalformedEncodingException("truncated InclusionProof length");
    }
    int count = Short.toUnsignedInt(in.getShort());
    long bytes = (long) count * hashLength;
    if (in.remaining() < bytes) {
      throw new MalformedEncodingException(
          "truncated InclusionProof: "
              + count
              + " elements need "
              + bytes
              + " bytes, "
              + in.remaining()
              + " remain");
    }
    List<HashValue> elements = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      byte[] value = new byte[hashLength];
      in.get(value);
      elements.add(HashValue.wrap(value));
    }
    return new InclusionProof(elements);
  }
}
