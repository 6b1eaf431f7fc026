package org.parley.keytrans.head;

import org.parley.keytrans.log.HashValue;
import org.parley.keytrans.suite.SignatureScheme;
import org.parley.keytrans.suite.SignatureSecretKey;
import org.parley.keytrans.tls.TlsWriter;

/**
 * Signing and pure verification of tree heads over the draft's {@code TreeHeadTBS}: the encoded
 * {@link Configuration}, {@code uint64 tree_size}, then {@code opaque root[Hash.Nh]} with no length
 * prefix.
 */
public final class TreeHeads {
  private TreeHeads() {}

  /** The {@code TreeHeadTBS} bytes; the root must be {@code Hash.Nh} bytes, the size positive. */
  public static byte[] toBeSigned(Configuration config, long treeSize, HashValue root) {
    checkArguments(config, treeSize, root);
    TlsWriter out = new TlsWriter();
    config.writeTo(out);
    return out.u64(treeSize).fixed(root.toByteArray()).toByteArray();
  }

  /**
   * Signs a tree head; the key must be the one behind {@code config.signaturePublicKey()} (the
   * Service Operator's, or the Third-Party Manager's in that mode).
   */
  public static TreeHead sign(
      SignatureSecretKey secretKey, Configuration config, long treeSize, HashValue root) {
    SignatureScheme scheme = config.suite().signatureScheme();
    if (!scheme.publicKey(secretKey).equals(config.signaturePublicKey())) {
      throw new IllegalArgumentException("secret key does not match signature_public_key");
    }
    return new TreeHead(treeSize, scheme.sign(secretKey, toBeSigned(config, treeSize, root)));
  }

  /**
   * Checks the head's signature over {@code TreeHeadTBS} for this configuration and the root the
   * caller computed for {@code head.treeSize()} leaves; no I/O, no clock.
   */
  public static VerifiedTreeHead verify(Configuration config, TreeHead head, HashValue root)
      throws InvalidTreeHeadException {
    if (root.length() != config.suite().hashLength()) {
      throw new InvalidTreeHeadException("root is not Hash.Nh bytes");
    }
    byte[] tbs = toBeSigned(config, head.treeSize(), root);
    if (!config
        .suite()
        .signatureScheme()
        .verify(config.signaturePublicKey(), tbs, head.signature())) {
      throw new InvalidTreeHeadException("tree head signature does not verify");
    }
    return new VerifiedTreeHead(config, head, root);
  }

  static void checkArguments(Configuration config, long treeSize, HashValue root) {
    if (treeSize <= 0) {
      throw new IllegalArgumentException("tree size must be in 1..2^63-1");
    }
    if (root.length() != config.suite().hashLength()) {
      throw new IllegalArgumentException("root must be Hash.Nh bytes");
    }
  }
}
