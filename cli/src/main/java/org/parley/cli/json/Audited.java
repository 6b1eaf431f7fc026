package org.parley.cli.json;

import org.parley.client.audit.LogAuditor;

/**
 * {@code parley audit}: the size and root (hex) of the log that passed, the auditor's public key
 * (base64url, what {@code parley verify --require-auditor} takes), and whether the signed head was
 * given to the server.
 */
public record Audited(long treeSize, String root, String auditorPublicKey, boolean published)
    implements JsonLine {
  public static Audited of(LogAuditor.Result r) {
    return new Audited(r.treeSize(), r.root(), r.auditorKey(), r.published());
  }
}
