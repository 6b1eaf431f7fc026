package org.parley.keytrans.combined;

import java.util.ArrayList;
import java.util.List;
import org.parley.keytrans.log.HashValue;
import org.parley.keytrans.log.InvalidProofException;
import org.parley.keytrans.log.ProofScope;
import org.parley.keytrans.prefix.PrefixProof;
import org.parley.keytrans.prefix.SearchKey;

/**
 * The log's side of a {@link ProofWalk}: answers every question from its own data and records the
 * answer the first time it is asked, building the {@link CombinedTreeProof} the user will consume.
 */
public final class ProvingWalk extends ProofWalk {
  private final LogData data;
  private final long auditorSize;
  private final List<Long> timestamps = new ArrayList<>();
  private final List<PrefixProof> prefixProofs = new ArrayList<>();
  private List<SearchKey> pending;

  /**
   * @param retained the view the user advertised (its frontier timestamps and roots are the log's
   *     own), or null
   * @param auditorSize the auditor tree head's size the proof must also cover, or 0
   */
  public ProvingWalk(
      LogData data, long treeSize, RetainedView retained, LabelKeys keys, long auditorSize) {
    super(treeSize, retained, keys);
    if (treeSize > data.size()) {
      throw new IllegalArgumentException("the log has only " + data.size() + " entries");
    }
    this.data = data;
    this.auditorSize = auditorSize;
  }

  /**
   * The view the log assumes a user retained after seeing {@code size} entries: exactly what the
   * user kept, rebuilt from the log's data.
   */
  public static RetainedView retainedViewOf(
      LogData data, long size, org.parley.keytrans.log.FullSubtrees fullSubtrees) {
    java.util.Map<Long, EntryData> frontier = new java.util.HashMap<>();
    for (long x : org.parley.keytrans.search.ImplicitSearchTree.frontier(size)) {
      frontier.put(x, new EntryData(data.timestamp(x), data.prefixTree(x).root()));
    }
    return RetainedView.of(size, fullSubtrees, frontier);
  }

  @Override
  protected long fetchTimestamp(long x) {
    long t = data.timestamp(x);
    timestamps.add(t);
    return t;
  }

  @Override
  protected void beginLookups(long x) {
    pending = new ArrayList<>();
  }

  @Override
  protected boolean lookup(long x, long version) throws InvalidProofException {
    SearchKey key = keys.searchKey(version);
    pending.add(key);
    return data.prefixTree(x).get(key).isPresent();
  }

  @Override
  protected void endLookups(long x) throws InvalidProofException {
    prefixProofs.add(data.prefixTree(x).prove(pending));
    rootFromProof(x, data.prefixTree(x).root());
    pending = null;
  }

  /** Ends the walk: the prefix roots still needed and the inclusion proof. */
  public CombinedTreeProof finish() {
    List<HashValue> prefixRoots = new ArrayList<>();
    List<Long> leaves = sentEntries();
    for (long x : leaves) {
      if (rootOf(x) == null) {
        prefixRoots.add(data.prefixTree(x).root());
      }
    }
    long retainedSize = retained == null ? 0 : retained.treeSize();
    ProofScope scope =
        new ProofScope(
            treeSize,
            leaves.stream().mapToLong(Long::longValue).toArray(),
            retainedSize,
            auditorSize);
    return new CombinedTreeProof(timestamps, prefixProofs, prefixRoots, data.prove(scope));
  }
}
