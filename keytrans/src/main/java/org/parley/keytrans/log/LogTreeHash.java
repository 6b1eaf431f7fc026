package org.parley.keytrans.log;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The log tree's node value computations (draft section "Cryptographic Computations / Log Tree"),
 * over the cipher suite hash function.
 *
 * <p>A leaf's value is {@code Hash(LogEntry)}; a parent's value is {@code Hash(hashContent(left) ||
 * hashContent(right))} where {@code hashContent} prefixes a leaf child's value with 0x00 and a
 * parent child's value with 0x01. This is not RFC 6962 hashing: the domain separation byte belongs
 * to each child, not to the node being computed.
 */
public final class LogTreeHash {
  /** SHA-256, the hash of cipher suite KT_128_SHA256_P256. */
  public static final LogTreeHash SHA256 = new LogTreeHash("SHA-256", 32);

  private static final byte LEAF_NODE = 0x00;
  private static final byte PARENT_NODE = 0x01;

  private final String algorithm;
  private final int nh;

  private LogTreeHash(String algorithm, int nh) {
    this.algorithm = algorithm;
    this.nh = nh;
    digest(); // fail at class initialisation, not at first use, if the JDK lacks it
  }

  /** {@code Hash.Nh}: the length of every node value in bytes. */
  public int nh() {
    return nh;
  }

  /** The value of the leaf that records {@code entry}. */
  public HashValue leafValue(LogEntry entry) {
    requireLength(entry.prefixTree());
    return HashValue.wrap(digest().digest(entry.encode()));
  }

  /**
   * The value of a parent node from its children's values; {@code leftIsLeaf}/{@code rightIsLeaf}
   * say whether each child is a leaf node (a subtree of size one).
   */
  public HashValue parentValue(
      HashValue left, boolean leftIsLeaf, HashValue right, boolean rightIsLeaf) {
    requireLength(left);
    requireLength(right);
    MessageDigest md = digest();
    md.update(leftIsLeaf ? LEAF_NODE : PARENT_NODE);
    md.update(left.bytes());
    md.update(rightIsLeaf ? LEAF_NODE : PARENT_NODE);
    md.update(right.bytes());
    return HashValue.wrap(md.digest());
  }

  /** The value of node {@code left ∪ right} from the values of its two children. */
  HashValue parentValue(Subtree left, HashValue leftValue, Subtree right, HashValue rightValue) {
    return parentValue(leftValue, left.isLeaf(), rightValue, right.isLeaf());
  }

  void requireLength(HashValue value) {
    if (value.length() != nh) {
      throw new IllegalArgumentException(
          "hash value has " + value.length() + " bytes, expected " + nh);
    }
  }

  private MessageDigest digest() {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is not available", e);
    }
  }

  @Override
  public String toString() {
    return "LogTreeHash[" + algorithm + "]";
  }
}
