package org.parley.keytrans.prefix;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.parley.keytrans.log.HashValue;
import org.parley.keytrans.suite.CipherSuite;

/**
 * What one {@code CombinedTreeProof}'s prefix proofs have carried so far, in order of first
 * appearance: the distinct element values (the missing-node value of all zeros first, known to both
 * sides without being sent) and the distinct {@code nonInclusionLeaf} leaves sent in full. Later
 * elements and leaves refer to them by index instead of repeating 32 or 64 bytes
 * (docs/spec/keytrans.md, "Repeated elements"). One dictionary serves one encoding or one decoding
 * of one proof, and is then dropped.
 */
public final class ElementDictionary {
  /** Indices are u16: a dictionary stops growing there (never reached in practice). */
  static final int MAX_ENTRIES = 0x10000;

  private final Map<HashValue, Integer> index = new HashMap<>();
  private final List<HashValue> values = new ArrayList<>();
  private final Map<PrefixLeaf, Integer> leafIndex = new HashMap<>();
  private final List<PrefixLeaf> leaves = new ArrayList<>();

  public ElementDictionary() {
    add(HashValue.of(new byte[CipherSuite.NH])); // index 0: the value of every missing node
  }

  /** The index of an earlier element with this value, if any. */
  OptionalInt indexOf(HashValue value) {
    Integer i = index.get(value);
    return i == null ? OptionalInt.empty() : OptionalInt.of(i);
  }

  /** Whether an index into the elements as they are now is written as one byte (else two). */
  boolean narrow() {
    return values.size() <= 0x100;
  }

  /** The element at {@code i}, or null if there is none. */
  HashValue get(int i) {
    return i < values.size() ? values.get(i) : null;
  }

  /** Records a value sent in full (one not already here). */
  void add(HashValue value) {
    if (values.size() < MAX_ENTRIES) {
      index.put(value, values.size());
      values.add(value);
    }
  }

  /** The index of an earlier leaf sent in full, if any. */
  OptionalInt indexOf(PrefixLeaf leaf) {
    Integer i = leafIndex.get(leaf);
    return i == null ? OptionalInt.empty() : OptionalInt.of(i);
  }

  /** Whether an index into the leaves as they are now is written as one byte (else two). */
  boolean narrowLeaves() {
    return leaves.size() <= 0x100;
  }

  /** The leaf at {@code i}, or null if there is none. */
  PrefixLeaf leaf(int i) {
    return i < leaves.size() ? leaves.get(i) : null;
  }

  /** Records a leaf sent in full (one not already here). */
  void add(PrefixLeaf leaf) {
    if (leaves.size() < MAX_ENTRIES) {
      leafIndex.put(leaf, leaves.size());
      leaves.add(leaf);
    }
  }
}
