package org.parley.keytrans.prefix;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.parley.keytrans.log.HashValue;
import org.parley.keytrans.suite.CipherSuite;

/** The prefix tree root by the draft's definition, recomputed from the whole key set. */
final class BruteForcePrefixTree {
  private BruteForcePrefixTree() {}

  static HashValue root(CipherSuite suite, Map<SearchKey, HashValue> entries) {
    return HashValue.of(value(suite, new ArrayList<>(entries.entrySet()), 0));
  }

  /** The node at {@code depth} holding exactly {@code keys} (all sharing that prefix). */
  private static byte[] value(
      CipherSuite suite, List<Map.Entry<SearchKey, HashValue>> keys, int depth) {
    if (keys.isEmpty()) {
      return new byte[32];
    }
    if (keys.size() == 1) {
      byte[] in = new byte[65];
      in[0] = 0x02;
      System.arraycopy(keys.get(0).getKey().toByteArray(), 0, in, 1, 32);
      System.arraycopy(keys.get(0).getValue().toByteArray(), 0, in, 33, 32);
      return suite.hash(in);
    }
    List<Map.Entry<SearchKey, HashValue>> left = new ArrayList<>();
    List<Map.Entry<SearchKey, HashValue>> right = new ArrayList<>();
    for (Map.Entry<SearchKey, HashValue> e : keys) {
      (e.getKey().bit(depth) == 0 ? left : right).add(e);
    }
    return suite.hash(
        new byte[] {0x03}, value(suite, left, depth + 1), value(suite, right, depth + 1));
  }
}
