package org.parley.keytrans.prefix;

import java.util.Objects;
import java.util.Optional;
import org.parley.keytrans.log.HashValue;
import org.parley.keytrans.suite.CipherSuite;

/**
 * One searched key as the verifier knows it: the key, and the commitment the user was given for it
 * if the log claims the key is present (for example from a {@code BinaryLadderStep}).
 *
 * @param key the searched VRF output
 * @param commitment the commitment for an expected {@code inclusion} result; empty when the user
 *     expects a non-inclusion result
 */
public record PrefixSearch(SearchKey key, Optional<HashValue> commitment) {
  public PrefixSearch {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(commitment, "commitment");
    if (commitment.isPresent() && commitment.get().length() != CipherSuite.NH) {
      throw new IllegalArgumentException("a commitment has " + CipherSuite.NH + " bytes");
    }
  }

  /** A search expected to find {@code key} holding {@code commitment}. */
  public static PrefixSearch present(SearchKey key, HashValue commitment) {
    return new PrefixSearch(key, Optional.of(commitment));
  }

  /** A search expected to find that {@code key} is absent. */
  public static PrefixSearch absent(SearchKey key) {
    return new PrefixSearch(key, Optional.empty());
  }
}
