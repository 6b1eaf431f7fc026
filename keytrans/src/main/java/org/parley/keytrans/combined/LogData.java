package org.parley.keytrans.combined;

import org.parley.keytrans.log.InclusionProof;
import org.parley.keytrans.log.ProofScope;
import org.parley.keytrans.prefix.PrefixTree;

/** The log operator's data, read by a {@link ProvingWalk}. */
public interface LogData {
  /** The number of log entries. */
  long size();

  /** The timestamp of entry {@code position}. */
  long timestamp(long position);

  /** The prefix tree as of entry {@code position}. */
  PrefixTree prefixTree(long position);

  /** A batched log tree proof. */
  InclusionProof prove(ProofScope scope);
}
