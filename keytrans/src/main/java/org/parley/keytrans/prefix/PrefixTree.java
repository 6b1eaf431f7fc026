package org.parley.keytrans.prefix;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.parley.keytrans.log.HashValue;
import org.parley.keytrans.suite.CipherSuite;

/**
 * An immutable prefix tree (draft "Tree Construction / Prefix Tree"): search keys mapped to
 * commitments. Updates return a new tree sharing every untouched node with this one, so an update
 * recomputes only the values on its path and a batch recomputes each touched node once.
 *
 * <p>A key's leaf sits at the shallowest depth where no other key shares its prefix (the root
 * itself when the tree holds one key); a parent exists for every prefix that two or more keys
 * share; a missing node counts as an all-zero value, so the empty tree's root is all zeros.
 */
public final class PrefixTree {
  private final CipherSuite suite;
  private final Node root; // null for the empty tree
  private final long size;

  private PrefixTree(CipherSuite suite, Node root, long size) {
    this.suite = suite;
    this.root = root;
    this.size = size;
  }

  /** The tree with no keys; its root value is all zeros. */
  public static PrefixTree empty(CipherSuite suite) {
    Objects.requireNonNull(suite, "suite");
    return new PrefixTree(suite, null, 0);
  }

  /** The root value, committed to by the log entry of this tree. */
  public HashValue root() {
    return HashValue.of(root == null ? PrefixTreeHash.ZERO : root.value());
  }

  /** The number of keys. */
  public long size() {
    return size;
  }

  /** The commitment stored under {@code key}, if any. */
  public Optional<HashValue> get(SearchKey key) {
    Node node = root;
    for (int depth = 0; node instanceof Parent p; depth++) {
      node = p.child(key.bit(depth));
    }
    return node instanceof Leaf leaf && leaf.key.equals(key)
        ? Optional.of(HashValue.of(leaf.commitment))
        : Optional.empty();
  }

  /** This tree with {@code key} mapped to {@code commitment} (replacing any earlier value). */
  public PrefixTree put(SearchKey key, HashValue commitment) {
    return putAll(Map.of(key, commitment));
  }

  /**
   * This tree with every entry of {@code updates} applied; each node on the union of the paths is
   * hashed once.
   *
   * @throws IllegalArgumentException if two keys share their first 255 bits, which would put a leaf
   *     at depth 256, beyond what a {@code uint8} depth can carry
   */
  public PrefixTree putAll(Map<SearchKey, HashValue> updates) {
    return apply(updates, Set.of());
  }

  /**
   * This tree with the keys in {@code removes} taken out, then every entry of {@code adds} put in
   * (so a key in both ends up with its new commitment). Removing an absent key changes nothing. The
   * result has exactly the shape the key set gives: a subtree left with one key collapses to that
   * key's leaf, which moves up unchanged (a leaf's value does not depend on its depth).
   *
   * @throws IllegalArgumentException if two keys share their first 255 bits
   */
  public PrefixTree apply(Map<SearchKey, HashValue> adds, Set<SearchKey> removes) {
    if (adds.isEmpty() && removes.isEmpty()) {
      return this;
    }
    Leaf[] batch = new Leaf[adds.size()];
    int i = 0;
    for (Map.Entry<SearchKey, HashValue> e : adds.entrySet()) {
      batch[i++] = leaf(suite, Objects.requireNonNull(e.getKey()), commitmentBytes(e.getValue()));
    }
    Arrays.sort(batch, (a, b) -> a.key.compareTo(b.key));
    SearchKey[] gone =
        removes.stream().map(Objects::requireNonNull).sorted().toArray(SearchKey[]::new);
    long[] delta = {0};
    Node newRoot = update(root, 0, new Batch(batch, 0, batch.length, gone, 0, gone.length), delta);
    return new PrefixTree(suite, newRoot, size + delta[0]);
  }

  /**
   * A proof for a batch of searches, results in the order of {@code keys} (duplicates allowed).
   *
   * @throws IllegalArgumentException for more than 255 keys
   */
  public PrefixProof prove(List<SearchKey> keys) {
    if (keys.size() > PrefixProof.MAX_RESULTS) {
      throw new IllegalArgumentException("more than " + PrefixProof.MAX_RESULTS + " searches");
    }
    List<PrefixSearchResult> results = new ArrayList<>(keys.size());
    for (SearchKey key : keys) {
      results.add(search(key));
    }
    SearchKey[] sorted = keys.stream().sorted().distinct().toArray(SearchKey[]::new);
    List<HashValue> elements = new ArrayList<>();
    if (sorted.length == 0) {
      elements.add(root()); // nothing to hash together: the root is the one element
    } else if (root instanceof Parent p) {
      copath(p, 0, sorted, 0, sorted.length, elements);
    }
    return new PrefixProof(results, elements);
  }

  /** Where the search for {@code key} ends. */
  public PrefixSearchResult search(SearchKey key) {
    Node node = root;
    int depth = 0;
    while (node instanceof Parent p) {
      node = p.child(key.bit(depth));
      depth++;
    }
    if (node == null) {
      return new PrefixSearchResult.NonInclusionParent(depth);
    }
    Leaf leaf = (Leaf) node;
    if (leaf.key.equals(key)) {
      return new PrefixSearchResult.Inclusion(depth);
    }
    return new PrefixSearchResult.NonInclusionLeaf(
        new PrefixLeaf(leaf.key, HashValue.of(leaf.commitment)), depth);
  }

  private void copath(Parent p, int depth, SearchKey[] keys, int lo, int hi, List<HashValue> out) {
    int mid = split(keys, lo, hi, depth);
    for (int side = 0; side < 2; side++) {
      Node child = p.child(side);
      int from = side == 0 ? lo : mid;
      int to = side == 0 ? mid : hi;
      if (from == to) {
        out.add(HashValue.of(child == null ? PrefixTreeHash.ZERO : child.value()));
      } else if (child instanceof Parent cp) {
        copath(cp, depth + 1, keys, from, to, out);
      }
      // A leaf or a missing child on a search path is a terminal node: it is in the results.
    }
  }

  /** The first index in [lo, hi) whose key has bit {@code depth} set; keys are sorted. */
  private static int split(SearchKey[] keys, int lo, int hi, int depth) {
    int a = lo;
    int b = hi;
    while (a < b) {
      int m = (a + b) >>> 1;
      if (keys[m].bit(depth) == 0) {
        a = m + 1;
      } else {
        b = m;
      }
    }
    return a;
  }

  private static int split(Leaf[] leaves, int lo, int hi, int depth) {
    int a = lo;
    int b = hi;
    while (a < b) {
      int m = (a + b) >>> 1;
      if (leaves[m].key.bit(depth) == 0) {
        a = m + 1;
      } else {
        b = m;
      }
    }
    return a;
  }

  /**
   * The subtree at {@code depth} that replaces {@code node} once the batch's removals and additions
   * (all sharing the node's prefix) are made; {@code delta} collects the change in key count.
   */
  private Node update(Node node, int depth, Batch batch, long[] delta) {
    if (node instanceof Leaf existing) {
      boolean removed = batch.removesKey(existing.key);
      boolean replaced = batch.addsKey(existing.key);
      if (removed || replaced) {
        delta[0] -= 1;
        node = null;
      } else {
        // The untouched leaf joins the batch: the subtree is rebuilt from the keys it now holds.
        delta[0] += batch.addCount();
        return build(depth, batch.withLeaf(existing), 0, batch.addCount() + 1);
      }
    }
    if (node == null) {
      delta[0] += batch.addCount();
      return build(depth, batch.leaves, batch.lo, batch.hi);
    }
    Parent p = (Parent) node;
    Batch left = batch.side(0, depth);
    Batch right = batch.side(1, depth);
    Node l = left.isEmpty() ? p.left : update(p.left, depth + 1, left, delta);
    Node r = right.isEmpty() ? p.right : update(p.right, depth + 1, right, delta);
    return join(l, r);
  }

  /**
   * The node whose children are {@code left} and {@code right}, by the shape rule: nothing when
   * both are missing, the lone leaf itself when the other side is missing (it moves up), and a
   * parent otherwise (a lone parent still holds two keys sharing this prefix).
   */
  private Node join(Node left, Node right) {
    if (left == null && (right == null || right instanceof Leaf)) {
      return right;
    }
    if (right == null && left instanceof Leaf) {
      return left;
    }
    return parent(suite, left, right);
  }

  /** Sorted additions leaves[lo, hi) and sorted removals removes[rlo, rhi), sharing a prefix. */
  private record Batch(Leaf[] leaves, int lo, int hi, SearchKey[] removes, int rlo, int rhi) {
    boolean isEmpty() {
      return lo == hi && rlo == rhi;
    }

    int addCount() {
      return hi - lo;
    }

    boolean addsKey(SearchKey key) {
      for (int i = lo; i < hi; i++) {
        if (leaves[i].key.equals(key)) {
          return true;
        }
      }
      return false;
    }

    boolean removesKey(SearchKey key) {
      for (int i = rlo; i < rhi; i++) {
        if (removes[i].equals(key)) {
          return true;
        }
      }
      return false;
    }

    /** The additions with {@code leaf} merged in, in key order. */
    Leaf[] withLeaf(Leaf leaf) {
      int at = lo;
      while (at < hi && leaves[at].key.compareTo(leaf.key) < 0) {
        at++;
      }
      Leaf[] merged = new Leaf[hi - lo + 1];
      System.arraycopy(leaves, lo, merged, 0, at - lo);
      merged[at - lo] = leaf;
      System.arraycopy(leaves, at, merged, at - lo + 1, hi - at);
      return merged;
    }

    /** The part of the batch whose keys have bit {@code depth} equal to {@code bit}. */
    Batch side(int bit, int depth) {
      int mid = split(leaves, lo, hi, depth);
      int rmid = split(removes, rlo, rhi, depth);
      return bit == 0
          ? new Batch(leaves, lo, mid, removes, rlo, rmid)
          : new Batch(leaves, mid, hi, removes, rmid, rhi);
    }
  }

  /** The subtree at {@code depth} holding exactly the distinct keys batch[lo, hi). */
  private Node build(int depth, Leaf[] batch, int lo, int hi) {
    if (lo == hi) {
      return null;
    }
    if (hi - lo == 1) {
      if (depth > PrefixSearchResult.MAX_DEPTH) {
        throw new IllegalArgumentException("two search keys share their first 255 bits");
      }
      return batch[lo];
    }
    int mid = split(batch, lo, hi, depth);
    return parent(suite, build(depth + 1, batch, lo, mid), build(depth + 1, batch, mid, hi));
  }

  private static byte[] commitmentBytes(HashValue commitment) {
    Objects.requireNonNull(commitment, "commitment");
    if (commitment.length() != CipherSuite.NH) {
      throw new IllegalArgumentException("a commitment has " + CipherSuite.NH + " bytes");
    }
    return commitment.toByteArray();
  }

  private static Leaf leaf(CipherSuite suite, SearchKey key, byte[] commitment) {
    return new Leaf(key, commitment, PrefixTreeHash.leafValue(suite, key.bytes(), commitment));
  }

  private static Parent parent(CipherSuite suite, Node left, Node right) {
    byte[] l = left == null ? PrefixTreeHash.ZERO : left.value();
    byte[] r = right == null ? PrefixTreeHash.ZERO : right.value();
    return new Parent(left, right, PrefixTreeHash.parentValue(suite, l, r));
  }

  private sealed interface Node permits Leaf, Parent {
    byte[] value();
  }

  private record Leaf(SearchKey key, byte[] commitment, byte[] value) implements Node {}

  private record Parent(Node left, Node right, byte[] value) implements Node {
    Node child(int bit) {
      return bit == 0 ? left : right;
    }
  }
}
