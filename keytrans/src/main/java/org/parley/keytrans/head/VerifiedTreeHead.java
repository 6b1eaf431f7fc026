package org.parley.keytrans.head;

import org.parley.keytrans.log.HashValue;

/**
 * A tree head whose signature {@link TreeHeads#verify} accepted for this configuration and root.
 */
public record VerifiedTreeHead(Configuration config, TreeHead head, HashValue root) {
  /** The number of log entries the head commits to. */
  public long treeSize() {
    return head.treeSize();
  }
}
