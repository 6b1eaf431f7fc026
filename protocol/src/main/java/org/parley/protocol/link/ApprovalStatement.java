package org.parley.protocol.link;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.parley.protocol.AccountId;
import org.parley.protocol.Handle;

/**
 * The bytes an approving device signs: "parley-link-approval-v2" 0x00 accountId 0x00 handle 0x00
 * code 0x00 newIdentityKey (33 bytes), with accountId, handle and code as UTF-8. The new device
 * checks it before it joins: the handle and account it is shown are the approver's word, under the
 * approver's key, not the server's.
 */
public final class ApprovalStatement {
  private ApprovalStatement() {}

  public static byte[] bytes(
      AccountId accountId, Handle handle, LinkCode code, byte[] newIdentityKey) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes("parley-link-approval-v2".getBytes(StandardCharsets.UTF_8));
    out.write(0);
    out.writeBytes(accountId.value().getBytes(StandardCharsets.UTF_8));
    out.write(0);
    out.writeBytes(handle.value().getBytes(StandardCharsets.UTF_8));
    out.write(0);
    out.writeBytes(code.value().getBytes(StandardCharsets.UTF_8));
    out.write(0);
    out.writeBytes(newIdentityKey);
    return out.toByteArray();
  }
}
