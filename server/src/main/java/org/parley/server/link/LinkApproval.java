package org.parley.server.link;

import java.util.Objects;
import org.parley.protocol.DeviceId;

/**
 * An existing device's approval of a link, kept on the link until the new device accepts: which
 * device approved (its id and identity key, shown to the new device), its signature over the link
 * approval statement, and its key-transparency device approval of the new key, which is stored with
 * the device once it is added.
 */
public record LinkApproval(
    DeviceId approver, byte[] approverKey, byte[] linkSignature, byte[] ktApproval) {
  public LinkApproval {
    Objects.requireNonNull(approver, "approver");
    approverKey = Objects.requireNonNull(approverKey, "approverKey").clone();
    linkSignature = Objects.requireNonNull(linkSignature, "linkSignature").clone();
    ktApproval = Objects.requireNonNull(ktApproval, "ktApproval").clone();
  }

  @Override
  public byte[] approverKey() {
    return approverKey.clone();
  }

  @Override
  public byte[] linkSignature() {
    return linkSignature.clone();
  }

  @Override
  public byte[] ktApproval() {
    return ktApproval.clone();
  }
}
