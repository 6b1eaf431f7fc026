package org.parley.keytrans.combined;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.parley.keytrans.log.FullSubtrees;
import org.parley.keytrans.log.HashValue;
import org.parley.keytrans.log.InvalidProofException;
import org.parley.keytrans.log.LogTreeHash;
import org.parley.keytrans.log.LogVerifier;
import org.parley.keytrans.log.ProofScope;
import org.parley.keytrans.log.VerifiedLogTree;
import org.parley.keytrans.prefix.PrefixProof;
import org.parley.keytrans.prefix.PrefixSearch;
import org.parley.keytrans.prefix.PrefixSearchResult;
import org.parley.keytrans.prefix.PrefixVerifier;
import org.parley.keytrans.prefix.SearchKey;
import org.parley.keytrans.search.ImplicitSearchTree;
import org.parley.keytrans.suite.CipherSuite;

/**
 * The user's side of a {@link ProofWalk}: consumes the proof's timestamps and prefix proofs as
 * queues in the order the algorithm asks for them, evaluates each prefix proof to a candidate root,
 * and at the end computes the log tree root (and the auditor's) from every entry it learned.
 */
public final class VerifyingWalk extends ProofWalk {
  private final CipherSuite suite;
  private final CombinedTreeProof proof;
  private int nextTimestamp;
  private int nextPrefixProof;
  private PrefixProof current;
  private List<PrefixSearch> searches;

  public VerifyingWalk(
      CipherSuite suite,
      CombinedTreeProof proof,
      long treeSize,
      RetainedView retained,
      LabelKeys keys) {
    super(treeSize, retained, keys);
    this.suite = suite;
    this.proof = proof;
  }

  /** Whether prefix proofs remain to be consumed (the owner-monitoring stop condition). */
  public boolean hasMorePrefixProofs() {
    return nextPrefixProof < proof.prefixProofs().size();
  }

  @Override
  protected long fetchTimestamp(long x) throws InvalidProofException {
    if (nextTimestamp >= proof.timestamps().size()) {
      throw new InvalidProofException(
          "proof has too few timestamps (needed one for entry " + x + ")");
    }
    return proof.timestamps().get(nextTimestamp++);
  }

  @Override
  protected void beginLookups(long x) throws InvalidProofException {
    if (nextPrefixProof >= proof.prefixProofs().size()) {
      throw new InvalidProofException(
          "proof has too few prefix proofs (needed one for entry " + x + ")");
    }
    current = proof.prefixProofs().get(nextPrefixProof++);
    searches = new ArrayList<>();
  }

  @Override
  protected boolean lookup(long x, long version) throws InvalidProofException {
    if (searches.size() >= current.results().size()) {
      throw new InvalidProofException("prefix proof from entry " + x + " has too few results");
    }
    SearchKey key = keys.searchKey(version);
    PrefixSearchResult result = current.results().get(searches.size());
    boolean included = result instanceof PrefixSearchResult.Inclusion;
    if (included) {
      Optional<HashValue> commitment = keys.commitment(version);
      if (commitment.isEmpty()) {
        throw new InvalidProofException(
            "entry "
                + x
                + " includes version "
                + version
                + " but the response gives no commitment for it");
      }
      searches.add(PrefixSearch.present(key, commitment.get()));
    } else {
      searches.add(PrefixSearch.absent(key));
    }
    return included;
  }

  @Override
  protected void endLookups(long x) throws InvalidProofException {
    if (searches.size() != current.results().size()) {
      throw new InvalidProofException(
          "prefix proof from entry "
              + x
              + " has "
              + current.results().size()
              + " results for "
              + searches.size()
              + " lookups");
    }
    rootFromProof(x, new PrefixVerifier(suite).computeRoot(searches, current));
    current = null;
    searches = null;
  }

  /**
   * Ends the walk: every queue must be used up exactly; returns the candidate log root (and auditor
   * root) with the view to retain if the tree head verifies.
   *
   * @param auditorSize the auditor head's tree size, or 0
   */
  public Outcome finish(long auditorSize) throws InvalidProofException {
    if (nextTimestamp != proof.timestamps().size()) {
      throw new InvalidProofException(
          "proof has " + (proof.timestamps().size() - nextTimestamp) + " unused timestamps");
    }
    if (nextPrefixProof != proof.prefixProofs().size()) {
      throw new InvalidProofException(
          "proof has " + (proof.prefixProofs().size() - nextPrefixProof) + " unused prefix proofs");
    }
    List<Long> leaves = sentEntries();
    Map<Long, HashValue> entryRoots = new HashMap<>();
    int nextRoot = 0;
    for (long x : leaves) {
      HashValue root = rootOf(x);
      if (root == null) {
        if (nextRoot >= proof.prefixRoots().size()) {
          throw new InvalidProofException("proof has too few prefix roots");
        }
        root = proof.prefixRoots().get(nextRoot++);
      }
      entryRoots.put(x, root);
    }
    if (nextRoot != proof.prefixRoots().size()) {
      throw new InvalidProofException("proof has unused prefix roots");
    }
    LogTreeHash hash = LogTreeHash.SHA256;
    List<HashValue> leafValues = new ArrayList<>();
    for (long x : leaves) {
      leafValues.add(
          hash.leafValue(new EntryData(knownTimestamp(x), entryRoots.get(x)).logEntry()));
    }
    long retainedSize = retained == null ? 0 : retained.treeSize();
    if (auditorSize < 0 || auditorSize > treeSize) {
      throw new InvalidProofException("auditor tree size " + auditorSize + " is beyond the tree");
    }
    ProofScope scope =
        new ProofScope(
            treeSize,
            leaves.stream().mapToLong(Long::longValue).toArray(),
            retainedSize,
            auditorSize);
    FullSubtrees kept = retained == null ? null : retained.fullSubtrees();
    VerifiedLogTree tree =
        new LogVerifier(hash).evaluate(scope, leafValues, kept, proof.inclusion());
    Map<Long, EntryData> frontier = new HashMap<>();
    for (long x : ImplicitSearchTree.frontier(treeSize)) {
      EntryData data = retained == null ? null : retained.entry(x);
      if (data == null) {
        HashValue root = entryRoots.get(x);
        if (root == null) {
          throw new InvalidProofException("proof does not give frontier entry " + x);
        }
        data = new EntryData(knownTimestamp(x), root);
      }
      frontier.put(x, data);
    }
    return new Outcome(
        tree.root(), tree.auditorRoot(), RetainedView.of(treeSize, tree.fullSubtrees(), frontier));
  }

  /**
   * What a consumed proof yields: the candidate roots to check against the signed heads, and the
   * view to retain once they verify.
   */
  public record Outcome(HashValue root, Optional<HashValue> auditorRoot, RetainedView view) {}
}
