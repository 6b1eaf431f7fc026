package org.parley.protocol.kt;

import org.parley.protocol.ErrorCode;
import org.parley.protocol.ProtocolException;

/**
 * An independent auditor's signed tree head (docs/spec/keytrans.md, "Audit stream and independent
 * auditors"): what an auditor gives the server with POST /v1/kt/auditor-heads, and what GET
 * /v1/kt/auditor-heads hands to clients, one per auditor. {@code timestamp} is the auditor's, in
 * milliseconds; bytes travel as base64url.
 */
@SuppressWarnings("ArrayRecordComponent") // wire bytes, as every protocol record: copied in and out
public record AuditorHead(
    byte[] auditorPublicKey, long treeSize, long timestamp, byte[] signature) {
  public AuditorHead {
    if (auditorPublicKey == null || signature == null || treeSize < 1) {
      throw new ProtocolException(
          ErrorCode.INVALID_REQUEST,
          "auditorPublicKey, treeSize (>= 1), timestamp and signature are required");
    }
    auditorPublicKey = auditorPublicKey.clone();
    signature = signature.clone();
  }

  @Override
  public byte[] auditorPublicKey() {
    return auditorPublicKey.clone();
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }
}
