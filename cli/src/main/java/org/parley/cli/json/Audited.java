package org.parley.cli.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import org.parley.client.audit.LogAuditor;

/**
 * {@code parley audit}: the size and root (hex; absent for an empty log) of the log that passed,
 * the auditor's public key (base64url, what {@code parley verify --require-auditor} takes), and
 * whether the signed head was given to the server.
 */
public record Audited(
    long treeSize,
    @JsonInclude(Include.NON_NULL) String root,
    String auditorPublicKey,
    boolean published)
    implements JsonLine {
  public static Audited of(LogAuditor.Result r) {
    return new Audited(r.treeSize(), r.root(), r.auditorKey(), r.published());
  }
}
