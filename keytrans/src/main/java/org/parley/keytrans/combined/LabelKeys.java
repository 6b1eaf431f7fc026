package org.parley.keytrans.combined;

import java.util.Optional;
import org.parley.keytrans.log.HashValue;
import org.parley.keytrans.log.InvalidProofException;
import org.parley.keytrans.prefix.SearchKey;

/**
 * What a walk knows of the one label it searches: the search key (VRF output) of each version it
 * may look up and, for the user, the commitment of each version the log claims exists.
 */
public interface LabelKeys {
  /** The VRF output of {@code version}; a user without its VRF proof rejects the response. */
  SearchKey searchKey(long version) throws InvalidProofException;

  /** The commitment to {@code version}'s value, if the user was given or computed one. */
  Optional<HashValue> commitment(long version);

  /**
   * What a user holds, as a frozen copy: a version without a search key is refused as a proof that
   * needs what the response did not give.
   */
  static LabelKeys of(
      java.util.Map<Long, SearchKey> keys, java.util.Map<Long, HashValue> commitments) {
    java.util.Map<Long, SearchKey> k = java.util.Map.copyOf(keys);
    java.util.Map<Long, HashValue> c = java.util.Map.copyOf(commitments);
    return new LabelKeys() {
      @Override
      public SearchKey searchKey(long version) throws InvalidProofException {
        SearchKey key = k.get(version);
        if (key == null) {
          throw new InvalidProofException("no verified VRF output for version " + version);
        }
        return key;
      }

      @Override
      public Optional<HashValue> commitment(long version) {
        return Optional.ofNullable(c.get(version));
      }
    };
  }
}
