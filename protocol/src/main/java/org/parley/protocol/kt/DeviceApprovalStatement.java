package org.parley.protocol.kt;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.parley.protocol.AccountId;

/**
 * What a device of an account signs with its identity key (XEdDSA, 64 bytes) to approve a device
 * key for the account's published device list:
 *
 * <pre>"parley-kt-device-approval-v1" 0x00 accountId (UTF-8) 0x00 identityKey (33 bytes)</pre>
 *
 * <p>Device 1 signs its own key at registration; on linking, the approving device signs the new
 * device's key. The statement names no device id and no time: a monitor tells an approval it saw
 * before from a fresh one by remembering keys (docs/spec/keytrans-values.md).
 */
public final class DeviceApprovalStatement {
  static final String CONTEXT = "parley-kt-device-approval-v1";

  private DeviceApprovalStatement() {}

  /**
   * @throws IllegalArgumentException unless the identity key is 33 bytes
   */
  public static byte[] bytes(AccountId accountId, byte[] identityKey) {
    if (identityKey == null || identityKey.length != DeviceListValue.IDENTITY_KEY_LENGTH) {
      throw new IllegalArgumentException("an identity key is 33 bytes");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(CONTEXT.getBytes(StandardCharsets.UTF_8));
    out.write(0);
    out.writeBytes(accountId.value().getBytes(StandardCharsets.UTF_8));
    out.write(0);
    out.writeBytes(identityKey);
    return out.toByteArray();
  }
}
