package org.parley.content;

import java.util.Objects;
import org.parley.protocol.cbor.ByteString;
import org.parley.protocol.cbor.Utf8;

/**
 * Content stored elsewhere (an attachment, a conference link): where to fetch it and, when it is
 * private, the AEAD parameters to decrypt it and the hash to check it. Zero or empty means absent.
 *
 * @param expires seconds since the UNIX epoch after which the content is gone, 0 for never
 * @param size content size in octets as an unsigned 64-bit number, 0 if not given
 * @param encAlg IANA AEAD algorithm number, 0 when the content is not encrypted
 * @param hashAlg IANA Named Information hash algorithm of {@code contentHash}, 0 for none
 */
public record ExternalPart(
    String contentType,
    String url,
    long expires,
    long size,
    int encAlg,
    ByteString key,
    ByteString nonce,
    ByteString aad,
    int hashAlg,
    ByteString contentHash,
    String description,
    String filename)
    implements Part {

  /** AES-128-GCM, which every MIMI client must support. */
  public static final int AES_128_GCM = 1;

  public ExternalPart {
    Utf8.requireWellFormed(contentType, "contentType");
    Utf8.requireWellFormed(url, "url");
    if (expires < 0 || expires > 0xffffffffL) {
      throw new IllegalArgumentException("expires must fit in 32 unsigned bits");
    }
    if (encAlg < 0 || encAlg > 0xffff) {
      throw new IllegalArgumentException("encAlg must fit in 16 unsigned bits");
    }
    if (hashAlg < 0 || hashAlg > 0xff) {
      throw new IllegalArgumentException("hashAlg must fit in 8 unsigned bits");
    }
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(nonce, "nonce");
    Objects.requireNonNull(aad, "aad");
    Objects.requireNonNull(contentHash, "contentHash");
    Utf8.requireWellFormed(description, "description");
    Utf8.requireWellFormed(filename, "filename");
  }

  @Override
  public int cardinality() {
    return 2;
  }

  /** Keeps the content key out of logs. */
  @Override
  public String toString() {
    return "ExternalPart[contentType="
        + contentType
        + ", url="
        + url
        + ", expires="
        + expires
        + ", size="
        + Long.toUnsignedString(size)
        + ", encAlg="
        + encAlg
        + ", key=[REDACTED]"
        + ", hashAlg="
        + hashAlg
        + ", contentHash="
        + contentHash
        + ", description="
        + description
        + ", filename="
        + filename
        + "]";
  }
}
