package org.parley.keytrans.prefix;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.parley.keytrans.log.HashValue;
import org.parley.keytrans.log.InvalidProofException;
import org.parley.keytrans.suite.CipherSuite;

/**
 * Pure verification of a {@link PrefixProof} (draft "Tree Proofs / Prefix Tree"): recomputes the
 * prefix tree root from the searched keys, their results and the copath elements.
 */
public final class PrefixVerifier {
  private final CipherSuite suite;

  public PrefixVerifier(CipherSuite suite) {
    this.suite = suite;
  }

  /**
   * Checks the proof against an expected root (for example a retained prefix root).
   *
   * @throws InvalidProofException if the proof is inconsistent or yields another root
   */
  public void verify(List<PrefixSearch> searches, PrefixProof proof, HashValue expectedRoot)
      throws InvalidProofException {
    if (!computeRoot(searches, proof).equals(expectedRoot)) {
      throw new InvalidProofException("prefix proof does not lead to the expected root");
    }
  }

  /**
   * The root value the proof leads to, for the caller to bind into a log entry.
   *
   * <p>Each result must agree with its search: {@code inclusion} only with a commitment, the
   * non-inclusion results only without one; a {@code nonInclusionLeaf} leaf must hold another key
   * sharing the searched key's first {@code depth} bits; searches ending at the same node must
   * agree on its value, and no search may end at a node above another's terminal node; every
   * element must be used. With no searches the proof's one element is the root.
   */
  public HashValue computeRoot(List<PrefixSearch> searches, PrefixProof proof)
      throws InvalidProofException {
    List<PrefixSearchResult> results = proof.results();
    if (results.size() != searches.size()) {
      throw new InvalidProofException(
          "prefix proof has " + results.size() + " results for " + searches.size() + " searches");
    }
    Terminal[] terminals = new Terminal[searches.size()];
    for (int i = 0; i < terminals.length; i++) {
      terminals[i] = terminal(searches.get(i), results.get(i));
    }
    Arrays.sort(terminals, Comparator.comparing(Terminal::key));
    Cursor cursor = new Cursor(proof.elements());
    // With no searches the proof's only element is the root itself.
    byte[] root =
        terminals.length == 0 ? cursor.next() : node(0, terminals, 0, terminals.length, cursor);
    if (cursor.index != proof.elements().size()) {
      throw new InvalidProofException("prefix proof has unused elements");
    }
    return HashValue.of(root);
  }

  private Terminal terminal(PrefixSearch search, PrefixSearchResult result)
      throws InvalidProofException {
    SearchKey key = search.key();
    byte[] value;
    switch (result) {
      case PrefixSearchResult.Inclusion inc -> {
        if (search.commitment().isEmpty()) {
          throw new InvalidProofException("inclusion result for a key expected absent");
        }
        byte[] commitment = search.commitment().get().toByteArray();
        value = PrefixTreeHash.leafValue(suite, key.bytes(), commitment);
      }
      case PrefixSearchResult.NonInclusionLeaf nl -> {
        requireAbsent(search);
        SearchKey other = nl.leaf().vrfOutput();
        if (other.equals(key)) {
          throw new InvalidProofException("nonInclusionLeaf result holds the searched key");
        }
        if (other.commonPrefixLength(key) < nl.depth()) {
          throw new InvalidProofException("nonInclusionLeaf leaf is off the search path");
        }
        value = nl.leaf().value(suite).toByteArray();
      }
      case PrefixSearchResult.NonInclusionParent np -> {
        requireAbsent(search);
        value = PrefixTreeHash.ZERO;
      }
    }
    return new Terminal(key, result.depth(), value);
  }

  private static void requireAbsent(PrefixSearch search) throws InvalidProofException {
    if (search.commitment().isPresent()) {
      throw new InvalidProofException("non-inclusion result for a key expected present");
    }
  }

  /** The value of the node at {@code depth} on the path of terminals[lo, hi), all sharing it. */
  private byte[] node(int depth, Terminal[] t, int lo, int hi, Cursor cursor)
      throws InvalidProofException {
    boolean endsHere = false;
    boolean goesDeeper = false;
    for (int i = lo; i < hi; i++) {
      if (t[i].depth == depth) {
        endsHere = true;
        if (!Arrays.equals(t[i].value, t[lo].value) || t[lo].depth != depth) {
          throw new InvalidProofException("searches disagree on the node at depth " + depth);
        }
      } else {
        goesDeeper = true;
      }
    }
    if (endsHere) {
      if (goesDeeper) {
        throw new InvalidProofException("a search ends above another search's terminal node");
      }
      return t[lo].value;
    }
    int mid = lo;
    while (mid < hi && t[mid].key.bit(depth) == 0) {
      mid++;
    }
    byte[] left = mid > lo ? node(depth + 1, t, lo, mid, cursor) : cursor.next();
    byte[] right = hi > mid ? node(depth + 1, t, mid, hi, cursor) : cursor.next();
    return PrefixTreeHash.parentValue(suite, left, right);
  }

  private record Terminal(SearchKey key, int depth, byte[] value) {}

  private static final class Cursor {
    private final List<HashValue> elements;
    private int index;

    Cursor(List<HashValue> elements) {
      this.elements = elements;
    }

    byte[] next() throws InvalidProofException {
      if (index == elements.size()) {
        throw new InvalidProofException("prefix proof has too few elements");
      }
      return elements.get(index++).toByteArray();
    }
  }
}
