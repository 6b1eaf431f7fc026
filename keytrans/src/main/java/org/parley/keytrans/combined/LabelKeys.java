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
}
