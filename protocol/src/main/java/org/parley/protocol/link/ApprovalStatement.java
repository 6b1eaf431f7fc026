package org.parley.protocol.link;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.parley.protocol.AccountId;

/**
 * The bytes an approving device signs: "parley-link-approval-v1" 0x00 accountId 0x00 code 0x00
 * newIdentityKey (33 bytes), with accountId and code as UTF-8.
 */
public final class ApprovalStatement {
  private ApprovalStatement() {}

  public static byte[] bytes(AccountId accountId, LinkCode code, byte[] newIdentityKey) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes("parley-link-approval-v1".getBytes(StandardCharsets.UTF_8));
    out.write(0);
    out.writeBytes(accountId.value().getBytes(StandardCharsets.UTF_8));
    out.write(0);
    out.writeBytes(code.value().getBytes(StandardCharsets.UTF_8));
    out.write(0);
    out.writeBytes(newIdentityKey);
    return out.toByteArray();
  }
}
