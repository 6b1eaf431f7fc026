package org.parley.keytrans.prefix;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.parley.keytrans.log.HashValue;
import org.parley.keytrans.log.InvalidProofException;
import org.parley.keytrans.suite.CipherSuite;

/**
 * A prefix tree change proved by a {@link PrefixProof} from the previous tree (the auditor's steps
 * 6 and 7 of draft "Third Parties / Auditing"): the proof's searches are each added key, in order,
 * then each removed key; from the proof alone this yields the previous root and, with the shape
 * questions answered by a {@link PrefixOccupancy}, the root after the change.
 *
 * <p>The new root is computed on the proof's skeleton: the search paths, their terminal nodes
 * (whose whole previous content the results give: one leaf, or nothing) and the copath values. Each
 * terminal is rebuilt from its previous content minus the removed keys plus the added ones, and the
 * paths are rehashed by the shape rule, so a subtree left with one key collapses to that key's
 * leaf. A copath node that is left alone under a node needs the occupancy: if it is one leaf it
 * moves up unchanged, if it is a parent it stays where it is.
 */
public final class PrefixTransition {
  private final CipherSuite suite;
  private final Change[] changes; // sorted by key
  private final List<HashValue> elements;
  private final HashValue previousRoot;

  private PrefixTransition(
      CipherSuite suite, Change[] changes, List<HashValue> elements, HashValue previousRoot) {
    this.suite = suite;
    this.changes = changes;
    this.elements = elements;
    this.previousRoot = previousRoot;
  }

  /**
   * The searches the proof answers: each added key, then each removed key. A removed key is
   * expected present with its removed commitment; so is an added key that is also removed (its
   * commitment is replaced); any other added key is expected absent.
   *
   * @throws IllegalArgumentException if a key occurs twice in {@code added} or in {@code removed}
   */
  public static List<PrefixSearch> searches(List<PrefixLeaf> added, List<PrefixLeaf> removed) {
    Map<SearchKey, HashValue> gone = new HashMap<>();
    for (PrefixLeaf leaf : removed) {
      if (gone.put(leaf.vrfOutput(), leaf.commitment()) != null) {
        throw new IllegalArgumentException("key removed twice: " + leaf.vrfOutput());
      }
    }
    Set<SearchKey> seen = new HashSet<>();
    List<PrefixSearch> out = new ArrayList<>(added.size() + removed.size());
    for (PrefixLeaf leaf : added) {
      if (!seen.add(leaf.vrfOutput())) {
        throw new IllegalArgumentException("key added twice: " + leaf.vrfOutput());
      }
      out.add(new PrefixSearch(leaf.vrfOutput(), Optional.ofNullable(gone.get(leaf.vrfOutput()))));
    }
    for (PrefixLeaf leaf : removed) {
      out.add(PrefixSearch.present(leaf.vrfOutput(), leaf.commitment()));
    }
    return out;
  }

  /**
   * Checks {@code proof} as a proof for {@link #searches} in some previous tree, whose root {@link
   * #previousRoot} then gives.
   *
   * @throws InvalidProofException if the proof is inconsistent with the searches
   * @throws IllegalArgumentException if a key occurs twice in {@code added} or in {@code removed}
   */
  public static PrefixTransition of(
      CipherSuite suite, List<PrefixLeaf> added, List<PrefixLeaf> removed, PrefixProof proof)
      throws InvalidProofException {
    List<PrefixSearch> searches = searches(added, removed);
    HashValue previous = new PrefixVerifier(suite).computeRoot(searches, proof);
    Change[] changes = new Change[searches.size()];
    for (int i = 0; i < changes.length; i++) {
      PrefixSearch search = searches.get(i);
      boolean isAdd = i < added.size();
      byte[] commitment = isAdd ? added.get(i).commitment().toByteArray() : null;
      changes[i] =
          new Change(
              search.key(),
              commitment,
              before(search, proof.results().get(i)),
              proof.results().get(i).depth());
    }
    Arrays.sort(changes, (a, b) -> a.key.compareTo(b.key));
    return new PrefixTransition(suite, changes, proof.elements(), previous);
  }

  /** The previous tree's root, which the proof leads to. */
  public HashValue previousRoot() {
    return previousRoot;
  }

  /**
   * The root after removing the removed keys and adding the added leaves.
   *
   * @param previousKeys the previous tree's occupancy, asked only about copath nodes left alone
   * @throws InvalidProofException if the occupancy contradicts a copath value, or two keys share
   *     their first 255 bits
   */
  public HashValue newRoot(PrefixOccupancy previousKeys) throws InvalidProofException {
    if (changes.length == 0) {
      return previousRoot;
    }
    int[] cursor = {0};
    Sub root = node(0, 0, changes.length, cursor, previousKeys);
    if (cursor[0] != elements.size()) {
      throw new IllegalStateException("the verified proof's elements are all used");
    }
    return HashValue.of(root.valueOrZero());
  }

  /** The leaf the search's terminal node held in the previous tree, or null for a stand-in. */
  private static PrefixLeaf before(PrefixSearch search, PrefixSearchResult result) {
    return switch (result) {
      case PrefixSearchResult.Inclusion inc ->
          new PrefixLeaf(search.key(), search.commitment().orElseThrow());
      case PrefixSearchResult.NonInclusionLeaf nl -> nl.leaf();
      case PrefixSearchResult.NonInclusionParent np -> null;
    };
  }

  /** The new content of the node at {@code depth} on the paths of changes[lo, hi). */
  private Sub node(int depth, int lo, int hi, int[] cursor, PrefixOccupancy occupancy)
      throws InvalidProofException {
    if (changes[lo].depth == depth) {
      // The verified proof has every search of this range end at this one terminal node.
      return terminal(depth, lo, hi);
    }
    int mid = lo;
    while (mid < hi && changes[mid].key.bit(depth) == 0) {
      mid++;
    }
    Sub left = mid > lo ? node(depth + 1, lo, mid, cursor, occupancy) : copath(depth, lo, cursor);
    Sub right = hi > mid ? node(depth + 1, mid, hi, cursor, occupancy) : copath(depth, lo, cursor);
    if (left.kind == Kind.COPATH && right.kind == Kind.EMPTY) {
      left = resolve(left, occupancy);
    } else if (right.kind == Kind.COPATH && left.kind == Kind.EMPTY) {
      right = resolve(right, occupancy);
    }
    return join(left, right);
  }

  /** The copath sibling at depth + 1 of the paths of changes[lo, ...), at bit {@code depth}. */
  private Sub copath(int depth, int lo, int[] cursor) {
    byte[] value = elements.get(cursor[0]++).toByteArray();
    if (Arrays.equals(value, PrefixTreeHash.ZERO)) {
      return Sub.EMPTY; // a missing node
    }
    return new Sub(Kind.COPATH, value, changes[lo].key.flip(depth), depth + 1);
  }

  /** Whether a copath node left alone is one leaf (it moves up) or a parent (it stays). */
  private static Sub resolve(Sub copath, PrefixOccupancy occupancy) throws InvalidProofException {
    int keys = occupancy.keysWithPrefix(copath.prefix, copath.prefixLength);
    if (keys <= 0) {
      throw new InvalidProofException(
          "a copath node holds keys where the previous tree has none (prefix length "
              + copath.prefixLength
              + ")");
    }
    return new Sub(keys == 1 ? Kind.ONE : Kind.MANY, copath.value, null, 0);
  }

  /** A terminal node rebuilt: its previous leaf (if any), minus removals, plus additions. */
  private Sub terminal(int depth, int lo, int hi) throws InvalidProofException {
    TreeMap<SearchKey, byte[]> content = new TreeMap<>();
    PrefixLeaf previous = changes[lo].before;
    if (previous != null) {
      content.put(previous.vrfOutput(), previous.commitment().toByteArray());
    }
    for (int i = lo; i < hi; i++) {
      if (changes[i].commitment == null) {
        content.remove(changes[i].key);
      }
    }
    for (int i = lo; i < hi; i++) {
      if (changes[i].commitment != null) {
        content.put(changes[i].key, changes[i].commitment);
      }
    }
    return build(depth, new ArrayList<>(content.entrySet()));
  }

  /** The subtree at {@code depth} holding exactly {@code leaves} (sorted, sharing the prefix). */
  private Sub build(int depth, List<Map.Entry<SearchKey, byte[]>> leaves)
      throws InvalidProofException {
    if (leaves.isEmpty()) {
      return Sub.EMPTY;
    }
    if (leaves.size() == 1) {
      if (depth > PrefixSearchResult.MAX_DEPTH) {
        throw new InvalidProofException("two search keys share their first 255 bits");
      }
      Map.Entry<SearchKey, byte[]> leaf = leaves.get(0);
      return new Sub(
          Kind.ONE,
          PrefixTreeHash.leafValue(suite, leaf.getKey().bytes(), leaf.getValue()),
          null,
          0);
    }
    int mid = 0;
    while (mid < leaves.size() && leaves.get(mid).getKey().bit(depth) == 0) {
      mid++;
    }
    return join(
        build(depth + 1, leaves.subList(0, mid)),
        build(depth + 1, leaves.subList(mid, leaves.size())));
  }

  /** The shape rule on two children whose kinds are known (a lone copath node is resolved). */
  private Sub join(Sub left, Sub right) {
    if (left.kind == Kind.EMPTY && right.kind != Kind.MANY) {
      return right; // nothing, or a lone leaf moving up
    }
    if (right.kind == Kind.EMPTY && left.kind == Kind.ONE) {
      return left;
    }
    byte[] value = PrefixTreeHash.parentValue(suite, left.valueOrZero(), right.valueOrZero());
    return new Sub(Kind.MANY, value, null, 0);
  }

  /**
   * One searched key: {@code commitment} is the new commitment for an added key, null for a removed
   * one; {@code before} is the leaf its terminal node held, null for a stand-in.
   */
  private record Change(SearchKey key, byte[] commitment, PrefixLeaf before, int depth) {}

  private enum Kind {
    EMPTY,
    ONE,
    MANY,
    /** A copath node, not missing, of unknown kind (unchanged, so its value stands). */
    COPATH
  }

  /**
   * A subtree after the change: nothing, one leaf (value independent of depth), a parent at this
   * depth, or an untouched copath node with its prefix for the occupancy question.
   */
  private record Sub(Kind kind, byte[] value, SearchKey prefix, int prefixLength) {
    static final Sub EMPTY = new Sub(Kind.EMPTY, null, null, 0);

    byte[] valueOrZero() {
      return kind == Kind.EMPTY ? PrefixTreeHash.ZERO : value;
    }
  }
}
