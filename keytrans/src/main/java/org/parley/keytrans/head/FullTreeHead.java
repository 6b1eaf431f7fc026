package org.parley.keytrans.head;

import java.util.Optional;
import org.parley.keytrans.log.MalformedEncodingException;
import org.parley.keytrans.tls.TlsReader;
import org.parley.keytrans.tls.TlsWriter;

/**
 * The draft's {@code FullTreeHead}: {@code uint8 head_type} (1 = same, 2 = updated; 0 and others
 * are malformed); for updated, a {@link TreeHead} and, exactly when the mode is thirdPartyAuditing,
 * an {@link AuditorTreeHead}.
 */
public sealed interface FullTreeHead {

  /** The server keeps the tree head the user advertised. */
  record Same() implements FullTreeHead {}

  /** A newer tree head, with the auditor's head in thirdPartyAuditing mode. */
  record Updated(TreeHead treeHead, Optional<AuditorTreeHead> auditorTreeHead)
      implements FullTreeHead {
    public Updated {
      if (treeHead == null || auditorTreeHead == null) {
        throw new IllegalArgumentException("treeHead and auditorTreeHead are required");
      }
    }
  }

  /** The encoding; the auditor head must be present exactly in thirdPartyAuditing mode. */
  default byte[] encode(DeploymentMode mode) {
    TlsWriter out = new TlsWriter();
    switch (this) {
      case Same s -> out.u8(1);
      case Updated u -> {
        if (u.auditorTreeHead().isPresent() != (mode == DeploymentMode.THIRD_PARTY_AUDITING)) {
          throw new IllegalArgumentException("auditor tree head presence does not match " + mode);
        }
        out.u8(2);
        u.treeHead().writeTo(out);
        u.auditorTreeHead().ifPresent(a -> a.writeTo(out));
      }
    }
    return out.toByteArray();
  }

  /** Appends the encoding to an enclosing structure. */
  default void writeTo(TlsWriter out, DeploymentMode mode) {
    out.fixed(encode(mode));
  }

  /** Reads one {@code FullTreeHead} of a log in this mode from an enclosing structure. */
  static FullTreeHead readFrom(TlsReader in, DeploymentMode mode)
      throws MalformedEncodingException {
    int type = in.u8();
    return switch (type) {
      case 1 -> new Same();
      case 2 -> {
        TreeHead treeHead = TreeHead.readFrom(in);
        Optional<AuditorTreeHead> auditor =
            mode == DeploymentMode.THIRD_PARTY_AUDITING
                ? Optional.of(AuditorTreeHead.readFrom(in))
                : Optional.empty();
        yield new Updated(treeHead, auditor);
      }
      default -> throw new MalformedEncodingException("bad head_type " + type);
    };
  }

  /** Decodes exactly one {@code FullTreeHead} of a log in this mode. */
  static FullTreeHead decode(byte[] encoded, DeploymentMode mode)
      throws MalformedEncodingException {
    if (encoded == null || mode == null) {
      throw new MalformedEncodingException("no bytes");
    }
    TlsReader in = new TlsReader(encoded);
    FullTreeHead head = readFrom(in, mode);
    in.end();
    return head;
  }
}
