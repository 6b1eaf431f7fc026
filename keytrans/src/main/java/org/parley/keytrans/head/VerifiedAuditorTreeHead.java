package org.parley.keytrans.head;

import org.parley.keytrans.log.HashValue;

/** An auditor tree head whose signature {@link AuditorTreeHeads#verify} accepted. */
public record VerifiedAuditorTreeHead(Configuration config, AuditorTreeHead head, HashValue root) {
  /** The number of log entries the auditor has processed. */
  public long treeSize() {
    return head.treeSize();
  }

  /** The auditor's timestamp, raw 64 bits. */
  public long timestamp() {
    return head.timestamp();
  }
}
