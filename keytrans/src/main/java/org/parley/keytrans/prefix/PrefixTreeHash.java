package org.parley.keytrans.prefix;

import org.parley.keytrans.suite.CipherSuite;

/** The prefix tree's node values (draft "Cryptographic Computations / Prefix Tree"). */
final class PrefixTreeHash {
  static final byte LEAF_TAG = 0x02;
  static final byte PARENT_TAG = 0x03;

  /** The stand-in value of a missing node, and of a missing copath node in a proof. */
  static final byte[] ZERO = new byte[CipherSuite.NH];

  private PrefixTreeHash() {}

  static byte[] leafValue(CipherSuite suite, byte[] vrfOutput, byte[] commitment) {
    byte[] in = new byte[1 + vrfOutput.length + commitment.length];
    in[0] = LEAF_TAG;
    System.arraycopy(vrfOutput, 0, in, 1, vrfOutput.length);
    System.arraycopy(commitment, 0, in, 1 + vrfOutput.length, commitment.length);
    return suite.hash(in);
  }

  static byte[] parentValue(CipherSuite suite, byte[] left, byte[] right) {
    byte[] in = new byte[1 + left.length + right.length];
    in[0] = PARENT_TAG;
    System.arraycopy(left, 0, in, 1, left.length);
    System.arraycopy(right, 0, in, 1 + left.length, right.length);
    return suite.hash(in);
  }
}
