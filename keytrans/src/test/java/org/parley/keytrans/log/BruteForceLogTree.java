package org.parley.keytrans.log;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * The draft's log tree definition written as plainly as possible, independent of the production
 * code: leaf = SHA-256(uint64 timestamp || prefix_tree); parent = SHA-256(hashContent(left) ||
 * hashContent(right)) with hashContent = 0x00 || value for leaves, 0x01 || value for parents; the
 * left subtree of n > 1 leaves holds the largest power of two strictly below n.
 */
final class BruteForceLogTree {
  private BruteForceLogTree() {}

  static byte[] leaf(long timestamp, byte[] prefixTreeRoot) {
    return sha256(
        ByteBuffer.allocate(8 + prefixTreeRoot.length)
            .putLong(timestamp)
            .put(prefixTreeRoot)
            .array());
  }

  /** The root value of the first {@code n} leaves. */
  static byte[] root(List<byte[]> leaves, int n) {
    return value(leaves, 0, n);
  }

  static byte[] value(List<byte[]> leaves, int start, int size) {
    if (size == 1) {
      return leaves.get(start);
    }
    int left = 1;
    while (left * 2 < size) {
      left *= 2;
    }
    byte[] l = value(leaves, start, left);
    byte[] r = value(leaves, start + left, size - left);
    byte[] input = new byte[2 + l.length + r.length];
    input[0] = (byte) (left == 1 ? 0 : 1);
    System.arraycopy(l, 0, input, 1, l.length);
    input[1 + l.length] = (byte) (size - left == 1 ? 0 : 1);
    System.arraycopy(r, 0, input, 2 + l.length, r.length);
    return sha256(input);
  }

  static byte[] sha256(byte[] input) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(input);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
