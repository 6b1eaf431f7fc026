package org.parley.keytrans.prefix;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.parley.keytrans.log.HashValue;

/**
 * The distinct prefix-proof elements one {@code CombinedTreeProof} has carried so far, in order of
 * first appearance: what its later elements may refer to by index instead of repeating 32 bytes
 * (docs/spec/keytrans.md, "Repeated elements"). One dictionary serves one encoding or one decoding
 * of one proof, and is then dropped.
 */
public final class ElementDictionary {
  /** Indices are u16: the dictionary stops growing there (never reached in practice). */
  static final int MAX_ENTRIES = 0x10000;

  private final Map<HashValue, Integer> index = new HashMap<>();
  private final List<HashValue> values = new ArrayList<>();

  /** The index of an earlier element with this value, if any. */
  OptionalInt indexOf(HashValue value) {
    Integer i = index.get(value);
    return i == null ? OptionalInt.empty() : OptionalInt.of(i);
  }

  /** Whether an index into the dictionary as it is now is written as one byte (else two). */
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
}
