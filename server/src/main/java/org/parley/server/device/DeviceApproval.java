package org.parley.server.device;

import java.util.Objects;
import org.parley.protocol.kt.LinkSerial;

/**
 * Which device of the account (by its link serial) approved a device's identity key, and its
 * identity-key signature over {@link org.parley.protocol.kt.DeviceApprovalStatement}: what the
 * key-transparency log publishes beside the key, so the account's devices can tell an approved
 * device from one the server added. Device 1 approves itself at registration.
 */
public record DeviceApproval(LinkSerial approver, byte[] signature) {
  public DeviceApproval {
    Objects.requireNonNull(approver, "approver");
    if (signature == null || signature.length != 64) {
      throw new IllegalArgumentException("an approval signature is 64 bytes");
    }
    signature = signature.clone();
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }
}
