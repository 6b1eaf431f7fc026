package org.parley.keytrans.audit;

import org.parley.keytrans.log.HashValue;

/**
 * The log entry an auditor has just accepted, and the log it ends.
 *
 * @param treeSize the log's size with this entry (its position plus one)
 * @param timestamp the entry's timestamp, raw 64 bits
 * @param prefixTree the entry's prefix tree root
 * @param root the log tree's root at {@code treeSize}
 */
public record AuditedEntry(long treeSize, long timestamp, HashValue prefixTree, HashValue root) {}
