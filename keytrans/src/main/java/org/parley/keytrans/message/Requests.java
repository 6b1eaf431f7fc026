package org.parley.keytrans.message;

import java.util.OptionalLong;
import org.parley.keytrans.log.MalformedEncodingException;
import org.parley.keytrans.tls.TlsReader;

/** Field readers shared by the requests. */
final class Requests {
  private Requests() {}

  /** {@code optional<uint64> last}: a previously seen tree size, at least 1. */
  static OptionalLong last(TlsReader in) throws MalformedEncodingException {
    OptionalLong last = in.optionalU64();
    if (last.isPresent() && last.getAsLong() <= 0) {
      throw new MalformedEncodingException("last must be a tree size in 1..2^63-1");
    }
    return last;
  }
}
